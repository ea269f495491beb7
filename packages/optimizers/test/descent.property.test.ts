// Property: on any convex quadratic, every optimizer with a small enough step decreases the loss
// at each of its first steps (each update is a descent direction: a positive per-coordinate
// rescaling of the gradient, or a positive combination of past gradients at almost the same point).
// Lookahead is the exception by design: its synchronising step pulls the weights back towards the
// slow weights, so it only has to stay below the starting loss (convexity guarantees that).
import type { Optimizer } from '@downhill/core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  lion,
  lookahead,
  nadam,
  parameterEma,
  radam,
  rmsprop,
  rprop,
  sgd,
  stochasticWeightAveraging,
} from '../src/index.js';
import { quadratic } from './objectives.js';

const smallStep: Record<string, () => Optimizer> = {
  sgd: () => sgd({ learningRate: 1e-4 }),
  'sgd momentum': () => sgd({ learningRate: 1e-4, momentum: 0.9, dampening: 0.1 }),
  'sgd nesterov': () => sgd({ learningRate: 1e-4, momentum: 0.9, nesterov: true }),
  adagrad: () => adagrad({ learningRate: 1e-4 }),
  rmsprop: () => rmsprop({ learningRate: 1e-5 }),
  'rmsprop centered': () => rmsprop({ learningRate: 1e-5, centered: true, momentum: 0.5 }),
  adadelta: () => adadelta({ learningRate: 1e-2 }),
  adam: () => adam({ learningRate: 1e-4 }),
  // Decoupled decay minimises a different (regularised) objective, so it is off here.
  adamw: () => adamw({ learningRate: 1e-4, weightDecay: 0 }),
  amsgrad: () => amsgrad({ learningRate: 1e-4 }),
  adamax: () => adamax({ learningRate: 1e-4 }),
  nadam: () => nadam({ learningRate: 1e-4 }),
  radam: () => radam({ learningRate: 1e-4 }),
  lion: () => lion({ learningRate: 1e-5 }),
  rprop: () => rprop({ initialStep: 1e-5 }),
  'lookahead(adam)': () => lookahead(adam({ learningRate: 1e-4 }), { k: 2 }),
  'swa(sgd)': () => stochasticWeightAveraging(sgd({ learningRate: 1e-4 }), { start: 2, learningRate: 1e-5 }),
  'ema(adam)': () => parameterEma(adam({ learningRate: 1e-4 }), { decay: 0.9 }),
};

/** A random SPD matrix A = M M^T + 0.1 I, a centre, and a start at least 0.5 away from it. */
const problem = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    m: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * n, maxLength: n * n }),
    center: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
    offset: fc
      .array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n })
      .filter((d) => Math.hypot(...d) >= 0.5),
  }),
);

describe('every optimizer with a small step decreases the loss on random convex quadratics', () => {
  it.each(Object.keys(smallStep))('%s', (name) => {
    fc.assert(
      fc.property(problem, ({ n, m, center, offset }) => {
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let s = i === j ? 0.1 : 0;
            for (let k = 0; k < n; k++) s += m[i * n + k]! * m[j * n + k]!;
            a[i * n + j] = s;
          }
        const f = quadratic(a, Float64Array.from(center));
        const optimizer = smallStep[name]!();
        const params = Float64Array.from(center, (c, i) => c + offset[i]!);
        const grad = new Float64Array(n);
        const updates = new Float64Array(n);
        const state = optimizer.init(params);
        const context = { step: 0, loss: 0, overrides: {}, current: {} };
        const monotone = !name.startsWith('lookahead');
        const initial = f.loss(params, undefined, grad);
        let loss = initial;
        for (let t = 0; t < 5; t++) {
          context.step = t;
          context.loss = loss;
          updates.set(grad);
          optimizer.update(updates, state, params, context);
          for (let i = 0; i < n; i++) params[i]! += updates[i]!;
          const next = f.loss(params, undefined, grad);
          if (!(next < (monotone ? loss : initial))) return false;
          loss = next;
        }
        return true;
      }),
      { numRuns: 60, seed: 20261125 },
    );
  });
});
