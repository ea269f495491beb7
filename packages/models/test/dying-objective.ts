// An objective for dataParallel's tests whose worker copies die in a step, as a user's objective
// can: by calling `process.exit`, or by running out of the heap the worker was given.
import { isMainThread } from 'node:worker_threads';
import type { Batch, Objective, Vector } from '@downhill/core';

export interface DyingObjectiveOptions {
  /** How a worker copy dies on its `dieAt`-th gradient call (this thread's copy never does). */
  readonly how: 'exit' | 'out-of-memory';
  readonly dieAt: number;
}

/** Mean of (x - w)^2 over a batch's rows and columns, with its gradient. */
export function dyingObjective({ how, dieAt }: DyingObjectiveOptions): Objective<Batch> {
  let calls = 0;
  const hoard: number[][] = [];
  return {
    dimension: 4,
    loss(params: Vector, batch: Batch, grad?: Vector): number {
      if (grad && !isMainThread && ++calls >= dieAt) {
        if (how === 'exit') process.exit(3);
        for (;;) hoard.push(new Array(1 << 16).fill(calls));
      }
      const { data, rows, cols } = batch.x;
      let sum = 0;
      grad?.fill(0);
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < cols; j++) {
          const d = data[r * cols + j]! - params[j]!;
          sum += d * d;
          if (grad) grad[j] = grad[j]! - (2 * d) / (rows * cols);
        }
      return sum / (rows * cols);
    },
  };
}
