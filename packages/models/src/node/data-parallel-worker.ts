// One worker of `dataParallel`: builds its own copy of the objective, then, for each step the main
// thread announces in the shared control array, computes the loss and gradient of its shard of the
// batch into its own shared gradient buffer. It never returns to the event loop between steps
// (Atomics.wait), so it answers in microseconds; new batch buffers and errors travel through a port
// that each side reads synchronously (receiveMessageOnPort).
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Objective } from '@downhill/core';
import {
  batchArrays,
  DONE,
  FAILED,
  GENERATION,
  OP_RESIZE,
  OP_STOP,
  OPCODE,
  ROWS,
  ShardView,
  type SharedBatchBuffers,
} from './shared-batch.js';

interface WorkerInput {
  readonly module: string;
  readonly export: string;
  readonly options: unknown;
  readonly index: number;
  readonly shards: number;
  readonly control: SharedArrayBuffer;
  readonly params: SharedArrayBuffer;
  readonly grad: SharedArrayBuffer;
  readonly losses: SharedArrayBuffer;
  readonly port: MessagePort;
}

const input = workerData as WorkerInput;
const { port, index } = input;
const factory = (await import(input.module))[input.export] as (options: unknown) => unknown;
const objective = (await factory(input.options)) as Objective;
const control = new Int32Array(input.control);
const params = new Float64Array(input.params);
const grad = new Float64Array(input.grad);
const losses = new Float64Array(input.losses);
let view: ShardView | undefined;
parentPort!.postMessage({ type: 'ready', dimension: objective.dimension });

let seen = Atomics.load(control, GENERATION);
for (;;) {
  Atomics.wait(control, GENERATION, seen);
  seen = Atomics.load(control, GENERATION);
  const opcode = Atomics.load(control, OPCODE);
  if (opcode === OP_STOP) break;
  try {
    if (opcode === OP_RESIZE) {
      const message = receiveMessageOnPort(port)?.message as { batch: SharedBatchBuffers } | undefined;
      if (message) {
        if (view) view.replace(batchArrays(message.batch), message.batch);
        else view = new ShardView(batchArrays(message.batch), message.batch, input.shards, index);
      }
    }
    const batch = view!.at(Atomics.load(control, ROWS));
    losses[index] = batch.x.rows > 0 ? objective.loss(params, batch, grad) : 0;
  } catch (error) {
    Atomics.store(control, FAILED, 1);
    port.postMessage({ type: 'error', message: (error as Error).message ?? String(error) });
  }
  Atomics.add(control, DONE, 1);
  Atomics.notify(control, DONE);
}
port.close();
