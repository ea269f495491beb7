import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Batch, Objective, Vector } from '@downhill/core';
import {
  batchArrays,
  CONTROL_SLOTS,
  DONE,
  FAILED,
  fits,
  GENERATION,
  OP_RESIZE,
  OP_STEP,
  OP_STOP,
  OPCODE,
  ROWS,
  ShardView,
  type SharedBatchBuffers,
  shardRows,
  sharedBatchBuffers,
} from './shared-batch.js';
import { workerEntry } from './worker-entry.js';

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
}

/** The objective, its gradient computed on `threads` threads; `close()` ends the workers. */
export type DataParallelObjective<T extends Objective<Batch>> = T & {
  readonly threads: number;
  close(): Promise<void>;
};

interface Helper {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly grad: Float64Array;
}

/**
 * Data parallelism on the threads of one machine: each batch is cut into `threads` contiguous
 * shards of rows; this thread computes the first and worker threads the others, each with its own
 * copy of the objective (built from `objective`, so any objective a module exports can be used:
 * the models of this package, an `autodiffObjective`, your own). The parameters and the batch are
 * copied once per step into shared memory; the threads meet through `Atomics` (no message per
 * step); the loss and gradient are the row-weighted mean of the shards', summed in a fixed order,
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
  const losses = new Float64Array(new SharedArrayBuffer(threads * 8));
  // Batch buffers are made (and sent to the workers) by the first batch, and again for a larger one.
  let buffers: SharedBatchBuffers | undefined;
  let arrays: ReturnType<typeof batchArrays> | undefined;
  let ownShard: ShardView | undefined;
  const weights = new Float64Array(threads);
  let weightedRows = -1;
  const helpers: Helper[] = [];
  const entry = workerEntry('data-parallel-worker');
  try {
    for (let index = 1; index < threads; index++) {
      const channel = new MessageChannel();
      const grad = new Float64Array(new SharedArrayBuffer(dimension * 8));
      const worker = new Worker(entry.url, {
        ...entry.options,
        workerData: {
          module,
          export: name,
          options: factoryOptions,
          index,
          shards: threads,
          control: control.buffer,
          params: params.buffer,
          grad: grad.buffer,
          losses: losses.buffer,
          port: channel.port2,
        },
        transferList: [channel.port2],
      });
      helpers.push({ worker, port: channel.port1, grad });
    }
    await Promise.all(
      helpers.map(
        ({ worker }) =>
          new Promise<void>((resolve, reject) => {
            worker.once('error', reject);
            worker.once('exit', (code) =>
              reject(new Error(`dataParallel: a worker exited with code ${code}`)),
            );
            worker.once('message', (message: { dimension: number }) => {
              if (message.dimension !== dimension) {
                reject(
                  new Error(
                    `dataParallel: a worker built an objective of dimension ${message.dimension}, this thread ${dimension}`,
                  ),
                );
              } else resolve();
            });
          }),
      ),
    );
  } catch (error) {
    await Promise.all(helpers.map(({ worker }) => worker.terminate()));
    throw error;
  }
  for (const { worker } of helpers) {
    worker.removeAllListeners();
    worker.unref();
  }

  let closed = false;
  const signal = (opcode: number, rows: number): void => {
    Atomics.store(control, OPCODE, opcode);
    Atomics.store(control, ROWS, rows);
    Atomics.store(control, DONE, 0);
    Atomics.store(control, FAILED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
  };
  const waitForHelpers = (): void => {
    for (let done = Atomics.load(control, DONE); done < helpers.length; done = Atomics.load(control, DONE))
      Atomics.wait(control, DONE, done);
  };
  const failure = (): string => {
    for (const { port } of helpers) {
      const message = receiveMessageOnPort(port)?.message as { message?: string } | undefined;
      if (message?.message) return message.message;
    }
    return 'a worker failed';
  };

  const loss = (values: Vector, batch: Batch, grad?: Vector): number => {
    if (grad === undefined || helpers.length === 0) return local.loss(values, batch, grad);
    if (closed) throw new Error('dataParallel: the objective was closed');
    const rows = batch.x.rows;
    let opcode = OP_STEP;
    if (!fits(buffers, batch)) {
      const capacity = buffers === undefined ? 0 : (buffers as SharedBatchBuffers).capacity;
      buffers = sharedBatchBuffers(batch, Math.max(rows, capacity));
      arrays = batchArrays(buffers);
      if (ownShard) ownShard.replace(arrays, buffers);
      else ownShard = new ShardView(arrays, buffers, threads, 0);
      for (const { port } of helpers) port.postMessage({ batch: buffers });
      opcode = OP_RESIZE;
    }
    arrays!.x.set(batch.x.data.subarray(0, rows * batch.x.cols));
    arrays!.y.set(batch.y.data.subarray(0, rows * batch.y.cols));
    params.set(values);
    signal(opcode, rows);
    let own = 0;
    try {
      const shard = ownShard!.at(rows);
      if (shard.x.rows > 0) own = local.loss(params, shard, grad);
      else grad.fill(0);
    } finally {
      waitForHelpers();
    }
    if (Atomics.load(control, FAILED) !== 0) throw new Error(`dataParallel: ${failure()}`);
    if (rows !== weightedRows) {
      for (let index = 0; index < threads; index++) {
        const [start, end] = shardRows(rows, threads, index);
        weights[index] = (end - start) / rows;
      }
      weightedRows = rows;
    }
    // Row-weighted mean of the shards, in shard order: the same sums every run.
    let total = own * weights[0]!;
    const w0 = weights[0]!;
    for (let j = 0; j < dimension; j++) grad[j] = grad[j]! * w0;
    for (let index = 1; index < threads; index++) {
      const w = weights[index]!;
      if (w === 0) continue;
      total += losses[index]! * w;
      const g = helpers[index - 1]!.grad;
      for (let j = 0; j < dimension; j++) grad[j] = grad[j]! + g[j]! * w;
    }
    return total;
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    signal(OP_STOP, 0);
    await Promise.all(helpers.map(({ worker }) => worker.terminate()));
    for (const { port } of helpers) port.close();
  };

  // The objective's own properties and prototype, with the parallel loss: `predict`, `metrics`,
  // `initialize`, `describe` ... run on this thread.
  return Object.assign(Object.create(Object.getPrototypeOf(local)), local, {
    loss,
    threads,
    close,
  }) as DataParallelObjective<T>;
}
