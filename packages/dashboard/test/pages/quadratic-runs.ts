// Runs of gradient descent on f(w) = w^2 (gradient 2w), trained synchronously in the page: each
// step multiplies w by (1 - 2 lr), so the loss is multiplied by (1 - 2 lr)^2. lr 1.1 diverges
// (x1.44 a step, past 1e308 after about 1,950 steps: the run ends `diverged`); lr 0.45 falls by
// 100x a step, down through 1e-29 to 0 (what Adam does on Rosenbrock), so a log axis sees zeros.
import { type TrainEvent, train } from '@downhill/core';

export function quadraticRun(options: {
  readonly runId: string;
  readonly name: string;
  readonly learningRate: number;
  readonly steps: number;
  readonly start?: number;
}): TrainEvent[] {
  const events: TrainEvent[] = [];
  const lr = options.learningRate;
  train<void>({
    objective: {
      dimension: 1,
      loss(w, _batch, grad) {
        if (grad) grad[0] = 2 * w[0]!;
        return w[0]! ** 2;
      },
    },
    optimizer: {
      name: 'gd',
      settable: [],
      init: () => ({}),
      update(updates) {
        for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
      },
      describe: () => ({ name: 'gd', learningRate: lr }),
    },
    params: [options.start ?? 1],
    steps: options.steps,
    runId: options.runId,
    config: { name: options.name },
    mode: 'sync',
  }).subscribe((event) => events.push(event));
  return events;
}
