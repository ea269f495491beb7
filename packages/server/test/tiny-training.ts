// A tiny objective and plain SGD for the integration tests (the optimizer and model packages are
// built concurrently, so the tests do not depend on them).
import type { Objective, Optimizer, RunCommand, TrainEvent } from '@downhill/core';
import { train } from '@downhill/core';
import type { Observable } from 'rxjs';

/** f(w) = 1/2 |w - target|^2, gradient w - target. */
export function quadratic(target: readonly number[]): Objective<void> {
  return {
    dimension: target.length,
    loss(w, _batch, grad) {
      let total = 0;
      for (let i = 0; i < target.length; i++) {
        const d = w[i]! - target[i]!;
        total += 0.5 * d * d;
        if (grad) grad[i] = d;
      }
      return total;
    },
    describe: () => ({ name: 'quadratic', dimension: target.length }),
  };
}

/** updates = -lr * grad, with a settable learning rate. */
export function sgd(learningRate: number): Optimizer<null> {
  return {
    name: 'sgd',
    settable: ['learningRate'],
    init: () => null,
    update(updates, _state, _params, ctx) {
      const lr = ctx.overrides.learningRate ?? learningRate;
      ctx.current.learningRate = lr;
      for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
    },
    describe: () => ({ name: 'sgd', learningRate }),
  };
}

export interface TinyRunOptions {
  readonly steps: number;
  readonly runId?: string;
  readonly name?: string;
  /** Busy time per step in ms, to make a run last long enough to watch. */
  readonly workMs?: number;
}

/** A tiny run as train() builds it, driven by `control`. */
export function tinyRun(options: TinyRunOptions, control?: Observable<RunCommand>): Observable<TrainEvent> {
  const objective = quadratic([1, -2, 3]);
  const workMs = options.workMs ?? 0;
  const slow: Objective<void> =
    workMs === 0
      ? objective
      : {
          ...objective,
          loss(w, batch, grad) {
            const until = performance.now() + workMs;
            while (performance.now() < until) {
              // busy: stands for a real model's work
            }
            return objective.loss(w, batch, grad);
          },
        };
  return train({
    objective: slow,
    optimizer: sgd(0.01),
    params: [0, 0, 0],
    steps: options.steps,
    sliceMs: 4,
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    ...(options.name === undefined ? {} : { config: { name: options.name } }),
    ...(control === undefined ? {} : { control }),
  });
}
