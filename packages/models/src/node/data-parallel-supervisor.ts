// The supervisor of `dataParallel`'s workers. The calling thread waits for a step with
// `Atomics.wait`, so it cannot hear a worker's `exit` event; a worker that dies in a step (out of
// memory, `process.exit` in the objective) would leave it waiting forever. This thread starts the
// workers and keeps an event loop free to hear them: it counts a death in the shared control
// array, marks the step failed, wakes the calling thread and tells it why.
import { type MessagePort, parentPort, type ResourceLimits, Worker, workerData } from 'node:worker_threads';
import { workerEntry } from '@downhill/core/node';
import { DEAD, DONE, FAILED } from './shared-batch.js';

interface SupervisorInput {
  /** What every worker gets, except its own port. */
  readonly common: Record<string, unknown> & { readonly control: SharedArrayBuffer };
  readonly ports: readonly MessagePort[];
  /** Where deaths are reported; the calling thread reads it synchronously. */
  readonly reports: MessagePort;
  readonly resourceLimits?: ResourceLimits;
}

const input = workerData as SupervisorInput;
const control = new Int32Array(input.common.control);
const entry = workerEntry(import.meta.url, 'data-parallel-worker');
let stopping = false;

const workers = input.ports.map(
  (port) =>
    new Worker(entry.url, {
      ...entry.options,
      workerData: { ...input.common, port },
      transferList: [port],
      ...(input.resourceLimits ? { resourceLimits: input.resourceLimits } : {}),
    }),
);

const ready = Promise.all(
  workers.map(
    (worker) =>
      new Promise<number>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`a worker exited with code ${code} while starting`)));
        worker.once('message', (message: { dimension: number }) => resolve(message.dimension));
      }),
  ),
);

try {
  const dimensions = await ready;
  for (const worker of workers) {
    worker.removeAllListeners();
    let cause: string | undefined;
    worker.once('error', (error) => {
      cause = error.message;
    });
    worker.once('exit', (code) => {
      if (stopping) return;
      const why = cause ?? `it exited with code ${code}`;
      input.reports.postMessage({ message: `a worker died: ${why}` });
      Atomics.store(control, FAILED, 1);
      Atomics.add(control, DEAD, 1);
      Atomics.notify(control, DONE);
    });
  }
  parentPort!.postMessage({ type: 'ready', dimensions });
} catch (error) {
  stopping = true;
  await Promise.all(workers.map((worker) => worker.terminate()));
  parentPort!.postMessage({ type: 'failed', message: (error as Error).message ?? String(error) });
}

parentPort!.on('message', async (message: { type: string }) => {
  if (message.type !== 'close') return;
  stopping = true;
  await Promise.all(workers.map((worker) => worker.terminate()));
  input.reports.close();
  parentPort!.postMessage({ type: 'closed' });
  parentPort!.close();
});
