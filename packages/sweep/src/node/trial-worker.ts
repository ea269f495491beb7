// One worker of `threadSweep`: runs one trial at a time, built from the trial module named in its
// workerData, and sends the trial's events back, one message per burst (a run emits a time slice's
// events synchronously). After each epoch event it waits in a shared cell for the sweep's verdict,
// so a trial pruned at a rung stops there, as it would in the sweep's own thread, not some steps
// later when a message would have reached it.
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainEvent } from '@downhill/core';
import { Subject, takeUntil } from 'rxjs';
import type { TrialFunction, TrialModule } from './trial-module.js';
import { type FromWorker, type ToWorker, VERDICT_STOP, VERDICT_WAITING } from './worker-protocol.js';

interface WorkerInput {
  readonly trial: TrialModule;
  readonly verdict: SharedArrayBuffer;
}

const input = workerData as WorkerInput;
const verdict = new Int32Array(input.verdict);
const port = parentPort!;
let trialFunction: Promise<TrialFunction> | undefined;

interface Running {
  readonly token: number;
  readonly stop: Subject<void>;
  stopped: boolean;
  buffer: TrainEvent[];
  flushQueued: boolean;
}
let current: Running | undefined;

const post = (message: FromWorker): void => port.postMessage(message);

async function load(): Promise<TrialFunction> {
  const { module, export: name } = input.trial;
  const loaded = (await import(module)) as Record<string, unknown>;
  const fn = loaded[name];
  if (typeof fn !== 'function')
    throw new TypeError(
      `trial module ${JSON.stringify(module)} has no function export ${JSON.stringify(name)}`,
    );
  return fn as TrialFunction;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function flush(run: Running, awaitVerdict: boolean): void {
  run.flushQueued = false;
  if (run.buffer.length === 0) return;
  const events = run.buffer;
  run.buffer = [];
  post({ type: 'events', token: run.token, events, verdict: awaitVerdict });
}

function finish(run: Running, outcome: 'done' | 'stopped' | 'failed', error?: string): void {
  if (current !== run) return;
  flush(run, false);
  current = undefined;
  post({ type: 'free', token: run.token, outcome, ...(error === undefined ? {} : { error }) });
}

async function start(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const run: Running = {
    token: message.token,
    stop: new Subject(),
    stopped: false,
    buffer: [],
    flushQueued: false,
  };
  current = run;
  let events: Awaited<ReturnType<TrialFunction>>;
  try {
    trialFunction ??= load();
    events = await (await trialFunction)(message.config, message.control, input.trial.options);
  } catch (error) {
    finish(run, 'failed', messageOf(error));
    return;
  }
  if (run.stopped) {
    finish(run, 'stopped');
    return;
  }
  events.pipe(takeUntil(run.stop)).subscribe({
    next(event) {
      run.buffer.push(event);
      if (event.type !== 'epoch') {
        if (!run.flushQueued) {
          run.flushQueued = true;
          queueMicrotask(() => {
            if (run.flushQueued) flush(run, false);
          });
        }
        return;
      }
      Atomics.store(verdict, 0, VERDICT_WAITING);
      flush(run, true);
      Atomics.wait(verdict, 0, VERDICT_WAITING);
      if (Atomics.load(verdict, 0) === VERDICT_STOP) {
        run.stopped = true;
        // Unsubscribes the run inside its epoch event, as the in-thread sweep does (takeUntil
        // then completes, which frees this worker).
        run.stop.next();
      }
    },
    error: (error: unknown) => finish(run, 'failed', messageOf(error)),
    complete: () => finish(run, run.stopped ? 'stopped' : 'done'),
  });
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') void start(message);
  else if (current?.token === message.token && !current.stopped) {
    // A running trial completes through takeUntil; one still loading is freed by start().
    current.stopped = true;
    current.stop.next();
  }
});
