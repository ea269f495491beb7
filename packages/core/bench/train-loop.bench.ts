// What the Observable run loop costs per step: train() in both modes against a hand-written loop
// doing the same arithmetic (objective, gradient, SGD update), measured side by side.
import { compare, report } from '@downhill/bench-harness';
import { axpy, dot, norm2, type Objective, type Optimizer, train } from '../src/index.js';

function quadratic(dimension: number): Objective<void> {
  return {
    dimension,
    loss(w, _batch, grad) {
      if (grad) for (let i = 0; i < w.length; i++) grad[i] = 2 * w[i]!;
      return dot(w, w);
    },
  };
}

const sgd: Optimizer<null> = {
  name: 'sgd',
  settable: ['learningRate'],
  init: () => null,
  update(updates, _state, _params, ctx) {
    const lr = ctx.overrides.learningRate ?? 1e-4;
    ctx.current.learningRate = lr;
    for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
  },
  describe: () => ({ name: 'sgd' }),
};

const stepsPerRun = 2000;
for (const dimension of [10, 10_000]) {
  const objective = quadratic(dimension);
  const start = new Float64Array(dimension).fill(1);
  const results = await compare(
    {
      'hand-written loop': {
        ops: stepsPerRun,
        run: () => {
          const w = start.slice();
          const g = new Float64Array(dimension);
          for (let s = 0; s < stepsPerRun; s++) {
            objective.loss(w, undefined, g);
            norm2(g);
            axpy(-1e-4, g, w);
          }
        },
      },
      'train() sync': {
        ops: stepsPerRun,
        run: () => {
          train({ objective, optimizer: sgd, params: start, steps: stepsPerRun, mode: 'sync' }).subscribe();
        },
      },
      'train() sliced': {
        ops: stepsPerRun,
        run: () =>
          new Promise<void>((resolve) => {
            train({ objective, optimizer: sgd, params: start, steps: stepsPerRun }).subscribe({
              complete: resolve,
            });
          }),
      },
    },
    { rounds: 5, minTimeMs: 150 },
  );
  report(`run loop overhead, ${dimension} parameters`, results, {
    baseline: 'hand-written loop',
    unit: 'step',
  });
}
