// One worker of `dataParallel`: builds its own copy of the objective, then, for each step the main
// thread announces in the shared control array, takes chunks of the batch in turn (whichever thread
// is free takes the next) and computes each one's loss and gradient into that chunk's shared
// buffers. It never returns to the event loop between steps
// (Atomics.wait), so it answers in microseconds; new batch buffers and errors travel through a port
// that each side reads synchronously (receiveMessageOnPort).
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Objective } from '@downhill/core';
import {
  batchArrays,
  ChunkViews,
  DONE,
  FAILED,
  GENERATION,
  NEXT_CHUNK,
  OP_RESIZE,
  OP_STOP,
  OPCODE,
  ROWS,
  type SharedBatchBuffers,
} from './shared-batch.js';

interface WorkerInput {
  readonly module: string;
  readonly export: string;
  readonly options: unknown;
  readonly chunks: number;
  readonly control: SharedArrayBuffer;
  readonly params: SharedArrayBuffer;
  readonly grads: readonly SharedArrayBuffer[];
  readonly losses: SharedArrayBuffer;
  readonly port: MessagePort;
}

const input = workerData as WorkerInput;
const { port } = input;
const factory = (await import(input.module))[input.export] as (options: unknown) => unknown;
const objective = (await factory(input.options)) as Objective;
const control = new Int32Array(input.control);
const params = new Float64Array(input.params);
const grads = input.grads.map((buffer) => new Float64Array(buffer));
const losses = new Float64Array(input.losses);
let views: ChunkViews | undefined;
// The generation is read before saying ready: the main thread announces the first step only after
// `ready`, so a step announced before this thread reaches its wait cannot be missed (reading it
// after `ready` could see that step's generation already and wait for the next one forever).
let seen = Atomics.load(control, GENERATION);
parentPort!.postMessage({ type: 'ready', dimension: objective.dimension });

for (;;) {
  Atomics.wait(control, GENERATION, seen);
  seen = Atomics.load(control, GENERATION);
  const opcode = Atomics.load(control, OPCODE);
  if (opcode === OP_STOP) break;
  try {
    if (opcode === OP_RESIZE) {
      const message = receiveMessageOnPort(port)?.message as { batch: SharedBatchBuffers } | undefined;
      if (message) {
        if (views) views.replace(batchArrays(message.batch), message.batch);
        else views = new ChunkViews(batchArrays(message.batch), message.batch, input.chunks);
      }
    }
    // Chunks are taken in turn by whichever thread is free: a slower core takes fewer.
    const rows = Atomics.load(control, ROWS);
    for (
      let c = Atomics.add(control, NEXT_CHUNK, 1);
      c < input.chunks;
      c = Atomics.add(control, NEXT_CHUNK, 1)
    ) {
      const batch = views!.at(rows, c);
      losses[c] = batch.x.rows > 0 ? objective.loss(params, batch, grads[c]!) : 0;
    }
  } catch (error) {
    Atomics.store(control, FAILED, 1);
    port.postMessage({ type: 'error', message: (error as Error).message ?? String(error) });
  }
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}
port.close();
