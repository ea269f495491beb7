import { availableParallelism } from 'node:os';
import {
  MessageChannel,
  type MessagePort,
  type ResourceLimits,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import type { Batch, Objective, Vector } from '@downhill/core';
import { workerEntry } from '@downhill/core/node';
import {
  batchArrays,
  ChunkViews,
  CONTROL_SLOTS,
  DEAD,
  DONE,
  FAILED,
  fits,
  GENERATION,
  NEXT_CHUNK,
  OP_RESIZE,
  OP_STEP,
  OP_STOP,
  OPCODE,
  ROWS,
  type SharedBatchBuffers,
  shardRows,
  sharedBatchBuffers,
} from './shared-batch.js';

/** How each thread builds its own copy of the objective: `(await import(module))[export](options)`. */
export interface ObjectiveFactory {
  /** A module specifier or file URL every thread can import (`'@downhill/models'`, `import.meta.url`). */
  readonly module: string;
  /** The export to call: it returns the objective, or a promise of it. */
  readonly export: string;
  /** Its argument; must survive a structured clone (no functions). */
  readonly options?: unknown;
}

export interface DataParallelOptions {
  readonly objective: ObjectiveFactory;
  /** Threads that share each batch, this one included (default: the available cores, at most 8). */
  readonly threads?: number;
  /**
   * Chunks each batch is cut into, taken in turn by whichever thread is free (default: 2 per
   * thread): on cores of unequal speed the faster ones take more. More chunks balance better;
   * fewer keep each chunk's matrix products larger.
   */
  readonly chunks?: number;
  /** Caps each worker thread's heap (`Worker`'s `resourceLimits`); a worker that runs out fails the step with an error. */
  readonly resourceLimits?: ResourceLimits;
}

/** The objective, its gradient computed on `threads` threads; `close()` ends the workers. */
export type DataParallelObjective<T extends Objective<Batch>> = T & {
  readonly threads: number;
  close(): Promise<void>;
};

/**
 * Data parallelism on the threads of one machine: each batch is cut into contiguous chunks of
 * rows, which this thread and the worker threads take in turn (a faster core takes more), each
 * thread with its own copy of the objective (built from `objective`, so any objective a module exports can be used:
 * the models of this package, an `autodiffObjective`, your own). The parameters and the batch are
 * copied once per step into shared memory; the threads meet through `Atomics` (no message per
 * step); the loss and gradient are the row-weighted mean of the chunks', summed in chunk order,
 * so a run gives the same numbers every time and agrees with one thread up to rounding.
 *
 * The objective's loss must be a mean over the batch's rows (plus terms that do not depend on the
 * batch, such as penalties), as every model of this package is. Calls without a gradient
 * (validation, metrics) run on this thread alone. Node only: the calling thread waits with
 * `Atomics.wait`, which browsers allow only in workers.
 *
 * ```ts
 * const model = await dataParallel({
 *   objective: { module: '@downhill/models', export: 'mlp', options: { layers: [784, 128, 10] } },
 *   threads: 2,
 * });
 * train({ objective: model, ... }).subscribe({ complete: () => model.close() });
 * ```
 */
export async function dataParallel<T extends Objective<Batch>>(
  options: DataParallelOptions,
): Promise<DataParallelObjective<T>> {
  const threads = options.threads ?? Math.min(8, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`dataParallel: threads must be an integer >= 1, got ${threads}`);
  const chunks = options.chunks ?? 2 * threads;
  if (!Number.isInteger(chunks) || chunks < threads)
    throw new RangeError(`dataParallel: chunks must be an integer >= threads (${threads}), got ${chunks}`);
  const { module, export: name, options: factoryOptions } = options.objective;
  try {
    structuredClone(factoryOptions);
  } catch (error) {
    throw new TypeError(
      `dataParallel: objective.options must survive a structured clone to reach the workers (${(error as Error).message})`,
    );
  }
  const factory = (await import(module))[name];
  if (typeof factory !== 'function')
    throw new TypeError(
      `dataParallel: ${JSON.stringify(module)} has no function export ${JSON.stringify(name)}`,
    );
  const local = (await factory(factoryOptions)) as T;
  const dimension = local.dimension;

  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  const params = new Float64Array(new SharedArrayBuffer(dimension * 8));
  const losses = new Float64Array(new SharedArrayBuffer(chunks * 8));
  const grads = Array.from({ length: chunks }, () => new Float64Array(new SharedArrayBuffer(dimension * 8)));
  // Batch buffers are made (and sent to the workers) by the first batch, and again for a larger one.
  let buffers: SharedBatchBuffers | undefined;
  let arrays: ReturnType<typeof batchArrays> | undefined;
  let views: ChunkViews | undefined;
  const weights = new Float64Array(chunks);
  let weightedRows = -1;
  // The workers are started by a supervisor thread, which hears them die while this thread waits.
  const ports: MessagePort[] = [];
  const workerPorts: MessagePort[] = [];
  for (let index = 1; index < threads; index++) {
    const channel = new MessageChannel();
    ports.push(channel.port1);
    workerPorts.push(channel.port2);
  }
  const reports = new MessageChannel();
  const entry = workerEntry(import.meta.url, 'data-parallel-supervisor');
  const supervisor = new Worker(entry.url, {
    ...entry.options,
    workerData: {
      common: {
        module,
        export: name,
        options: factoryOptions,
        chunks,
        control: control.buffer,
        params: params.buffer,
        grads: grads.map((g) => g.buffer),
        losses: losses.buffer,
      },
      ports: workerPorts,
      reports: reports.port2,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    },
    transferList: [...workerPorts, reports.port2],
  });
  const helpers = ports.length;
  try {
    await new Promise<void>((resolve, reject) => {
      supervisor.once('error', reject);
      supervisor.once('exit', (code) =>
        reject(new Error(`dataParallel: the supervisor exited with code ${code}`)),
      );
      supervisor.once('message', (message: { type: string; dimensions?: number[]; message?: string }) => {
        const other = message.dimensions?.find((d) => d !== dimension);
        if (message.type === 'failed') reject(new Error(`dataParallel: ${message.message}`));
        else if (other !== undefined)
          reject(
            new Error(
              `dataParallel: a worker built an objective of dimension ${other}, this thread ${dimension}`,
            ),
          );
        else resolve();
      });
    });
  } catch (error) {
    await supervisor.terminate();
    throw error;
  }
  supervisor.removeAllListeners();
  supervisor.unref();

  let closed = false;
  const signal = (opcode: number, rows: number): void => {
    Atomics.store(control, OPCODE, opcode);
    Atomics.store(control, ROWS, rows);
    Atomics.store(control, DONE, 0);
    Atomics.store(control, FAILED, 0);
    Atomics.store(control, NEXT_CHUNK, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
  };
  // A worker that died never says done: the supervisor counts it in DEAD and wakes this thread.
  const waitForHelpers = (): void => {
    for (
      let done = Atomics.load(control, DONE);
      done + Atomics.load(control, DEAD) < helpers;
      done = Atomics.load(control, DONE)
    )
      Atomics.wait(control, DONE, done);
  };
  let death: string | undefined;
  const failure = (): string => {
    const report = receiveMessageOnPort(reports.port1)?.message as { message?: string } | undefined;
    if (report?.message) death = report.message;
    for (const port of ports) {
      const message = receiveMessageOnPort(port)?.message as { message?: string } | undefined;
      if (message?.message) return message.message;
    }
    return death ?? 'a worker failed';
  };

  const loss = (values: Vector, batch: Batch, grad?: Vector): number => {
    if (grad === undefined || helpers === 0) return local.loss(values, batch, grad);
    if (closed) throw new Error('dataParallel: the objective was closed');
    // Chunks are cut for `threads` threads: without one of them a step cannot be computed.
    if (Atomics.load(control, DEAD) > 0)
      throw new Error(`dataParallel: ${failure()}; close it and start again`);
    const rows = batch.x.rows;
    let opcode = OP_STEP;
    if (!fits(buffers, batch)) {
      const capacity = buffers === undefined ? 0 : (buffers as SharedBatchBuffers).capacity;
      buffers = sharedBatchBuffers(batch, Math.max(rows, capacity));
      arrays = batchArrays(buffers);
      if (views) views.replace(arrays, buffers);
      else views = new ChunkViews(arrays, buffers, chunks);
      for (const port of ports) port.postMessage({ batch: buffers });
      opcode = OP_RESIZE;
    }
    arrays!.x.set(batch.x.data.subarray(0, rows * batch.x.cols));
    arrays!.y.set(batch.y.data.subarray(0, rows * batch.y.cols));
    params.set(values);
    signal(opcode, rows);
    try {
      // This thread takes chunks in turn with the workers.
      for (let c = Atomics.add(control, NEXT_CHUNK, 1); c < chunks; c = Atomics.add(control, NEXT_CHUNK, 1)) {
        const chunk = views!.at(rows, c);
        losses[c] = chunk.x.rows > 0 ? local.loss(params, chunk, grads[c]!) : 0;
      }
    } finally {
      waitForHelpers();
    }
    if (Atomics.load(control, FAILED) !== 0) throw new Error(`dataParallel: ${failure()}`);
    if (rows !== weightedRows) {
      for (let c = 0; c < chunks; c++) {
        const [start, end] = shardRows(rows, chunks, c);
        weights[c] = (end - start) / rows;
      }
      weightedRows = rows;
    }
    // Row-weighted mean of the chunks, in chunk order (whoever computed them): the same sums every
    // run. Up to four chunks are summed in one pass over the gradient (a pass per chunk, reading
    // and writing the gradient each time, is several times slower).
    let total = 0;
    for (let c = 0; c < chunks; c++) total += losses[c]! * weights[c]!;
    for (let first = 0; first < chunks; first += 4) {
      addChunks(grad, grads, weights, first, Math.min(chunks, first + 4), first === 0);
    }
    return total;
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    signal(OP_STOP, 0);
    // The supervisor stops its workers and says so; one that is already gone has nothing to stop.
    if (supervisor.threadId !== -1) {
      const closedDown = new Promise((resolve) => {
        supervisor.once('message', resolve);
        supervisor.once('exit', resolve);
      });
      supervisor.ref();
      supervisor.postMessage({ type: 'close' });
      await closedDown;
    }
    await supervisor.terminate();
    for (const port of ports) port.close();
    reports.port1.close();
  };

  // The objective's own properties and prototype, with the parallel loss: `predict`, `metrics`,
  // `initialize`, `describe` ... run on this thread.
  return Object.assign(Object.create(Object.getPrototypeOf(local)), local, {
    loss,
    threads,
    close,
  }) as DataParallelObjective<T>;
}

/** `grad (=|+=) sum of w_c g_c` over chunks `[from, to)` (at most four), in one pass, in chunk order. */
function addChunks(
  grad: Vector,
  grads: readonly Float64Array[],
  weights: Float64Array,
  from: number,
  to: number,
  overwrite: boolean,
): void {
  const n = grad.length;
  const count = to - from;
  const a = grads[from]!;
  const wa = weights[from]!;
  const b = count > 1 ? grads[from + 1]! : a;
  const wb = count > 1 ? weights[from + 1]! : 0;
  const c = count > 2 ? grads[from + 2]! : a;
  const wc = count > 2 ? weights[from + 2]! : 0;
  const d = count > 3 ? grads[from + 3]! : a;
  const wd = count > 3 ? weights[from + 3]! : 0;
  if (overwrite) for (let j = 0; j < n; j++) grad[j] = a[j]! * wa + b[j]! * wb + c[j]! * wc + d[j]! * wd;
  else for (let j = 0; j < n; j++) grad[j] = grad[j]! + (a[j]! * wa + b[j]! * wb + c[j]! * wc + d[j]! * wd);
}
