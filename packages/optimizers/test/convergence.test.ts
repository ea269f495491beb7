// Every optimizer, table-driven, on a convex quadratic and on Rosenbrock's valley.
import type { Optimizer } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import {
  adabelief,
  adadelta,
  adafactor,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  asgd,
  lamb,
  lars,
  lion,
  lookahead,
  nadam,
  prodigy,
  radam,
  rmsprop,
  rprop,
  scheduleFreeAdamw,
  scheduleFreeSgd,
  sgd,
  yogi,
} from '../src/index.js';
import { quadratic, rosenbrock, runSteps } from './objectives.js';

interface Row {
  readonly name: string;
  readonly make: () => Optimizer;
  readonly steps: number;
  /** Largest accepted distance to the minimiser. */
  readonly tolerance: number;
}

// f(x) = 1/2 (x - c)^T A (x - c): A symmetric positive definite (eigenvalues ~0.74 to ~4.5).
const A = Float64Array.from([4, 1, 0, 1, 3, 0.5, 0, 0.5, 1]);
const C = [1, -2, 0.5];
const convexQuadratic = quadratic(A, Float64Array.from(C));

const quadraticTable: Row[] = [
  { name: 'sgd', make: () => sgd({ learningRate: 0.1 }), steps: 500, tolerance: 1e-9 },
  {
    name: 'sgd momentum',
    make: () => sgd({ learningRate: 0.05, momentum: 0.9 }),
    steps: 500,
    tolerance: 1e-9,
  },
  {
    name: 'sgd nesterov',
    make: () => sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    steps: 500,
    tolerance: 1e-9,
  },
  { name: 'adagrad', make: () => adagrad({ learningRate: 0.5 }), steps: 2000, tolerance: 1e-9 },
  { name: 'rmsprop', make: () => rmsprop({ learningRate: 0.001 }), steps: 5000, tolerance: 5e-3 },
  { name: 'adadelta', make: () => adadelta({ learningRate: 0.4 }), steps: 20000, tolerance: 1e-6 },
  { name: 'adam', make: () => adam({ learningRate: 0.05 }), steps: 2000, tolerance: 1e-9 },
  { name: 'adamw', make: () => adamw({ learningRate: 0.05, weightDecay: 0 }), steps: 2000, tolerance: 1e-9 },
  { name: 'amsgrad', make: () => amsgrad({ learningRate: 0.05 }), steps: 2000, tolerance: 1e-9 },
  { name: 'adamax', make: () => adamax({ learningRate: 0.05 }), steps: 2000, tolerance: 1e-9 },
  { name: 'nadam', make: () => nadam({ learningRate: 0.05 }), steps: 2000, tolerance: 1e-9 },
  { name: 'radam', make: () => radam({ learningRate: 0.05 }), steps: 2000, tolerance: 1e-9 },
  { name: 'lion', make: () => lion({ learningRate: 0.01 }), steps: 2000, tolerance: 1e-9 },
  { name: 'rprop', make: () => rprop({ initialStep: 0.01 }), steps: 500, tolerance: 1e-5 },
  {
    name: 'lookahead(adam)',
    make: () => lookahead(adam({ learningRate: 0.05 })),
    steps: 2000,
    tolerance: 1e-9,
  },
  { name: 'asgd', make: () => asgd({ learningRate: 0.1, lambd: 0 }), steps: 500, tolerance: 1e-9 },
  { name: 'adabelief', make: () => adabelief({ learningRate: 0.05 }), steps: 2000, tolerance: 1e-9 },
  { name: 'yogi', make: () => yogi({ learningRate: 0.05 }), steps: 2000, tolerance: 1e-9 },
  // Trust-ratio methods step a fixed fraction of ||p||: they need a decaying learning rate to settle.
  { name: 'lamb', make: () => lamb({ learningRate: (t) => 0.05 * 0.99 ** t }), steps: 3000, tolerance: 1e-9 },
  { name: 'lars', make: () => lars({ learningRate: (t) => 20 * 0.995 ** t }), steps: 5000, tolerance: 1e-9 },
  // Adafactor's step is a fraction of RMS(p) that decays as 1/sqrt(t): it closes in slowly.
  { name: 'adafactor', make: () => adafactor({ learningRate: 0.1 }), steps: 2000, tolerance: 5e-2 },
  // Schedule-free methods: the run's parameters are y (the gradient point), checked here.
  {
    name: 'scheduleFreeSgd',
    make: () => scheduleFreeSgd({ learningRate: 0.1 }),
    steps: 2000,
    tolerance: 1e-5,
  },
  {
    name: 'scheduleFreeAdamw',
    make: () => scheduleFreeAdamw({ learningRate: 0.05 }),
    steps: 2000,
    tolerance: 1e-9,
  },
  { name: 'prodigy (learning rate 1, no tuning)', make: () => prodigy(), steps: 3000, tolerance: 1e-9 },
];

// Rosenbrock from the classic start (-1.2, 1): minimum at (1, 1) at the end of a curved valley.
const rosenbrockTable: Row[] = [
  { name: 'sgd', make: () => sgd({ learningRate: 1e-3 }), steps: 20000, tolerance: 1e-3 },
  {
    name: 'sgd momentum',
    make: () => sgd({ learningRate: 1e-3, momentum: 0.9 }),
    steps: 5000,
    tolerance: 1e-6,
  },
  {
    name: 'sgd nesterov',
    make: () => sgd({ learningRate: 1e-3, momentum: 0.9, nesterov: true }),
    steps: 5000,
    tolerance: 1e-6,
  },
  { name: 'adagrad', make: () => adagrad({ learningRate: 0.5 }), steps: 20000, tolerance: 1e-4 },
  { name: 'rmsprop', make: () => rmsprop({ learningRate: 1e-3 }), steps: 10000, tolerance: 1e-2 },
  {
    name: 'rmsprop centered, momentum',
    make: () => rmsprop({ learningRate: 1e-3, centered: true, momentum: 0.5 }),
    steps: 10000,
    tolerance: 1e-2,
  },
  {
    name: 'adadelta',
    make: () => adadelta({ learningRate: 0.002, eps: 0.1 }),
    steps: 50000,
    tolerance: 1e-2,
  },
  { name: 'adam', make: () => adam({ learningRate: 0.02 }), steps: 5000, tolerance: 1e-6 },
  { name: 'adamw', make: () => adamw({ learningRate: 0.02, weightDecay: 0 }), steps: 5000, tolerance: 1e-6 },
  { name: 'amsgrad', make: () => amsgrad({ learningRate: 0.02 }), steps: 10000, tolerance: 1e-3 },
  { name: 'adamax', make: () => adamax({ learningRate: 0.02 }), steps: 5000, tolerance: 1e-3 },
  { name: 'nadam', make: () => nadam({ learningRate: 0.01 }), steps: 10000, tolerance: 1e-2 },
  { name: 'radam', make: () => radam({ learningRate: 2e-3 }), steps: 10000, tolerance: 1e-2 },
  { name: 'lion', make: () => lion({ learningRate: 1e-3 }), steps: 5000, tolerance: 1e-6 },
  { name: 'rprop', make: () => rprop({ initialStep: 0.01 }), steps: 10000, tolerance: 1e-2 },
  {
    name: 'lookahead(adam)',
    make: () => lookahead(adam({ learningRate: 0.02 })),
    steps: 5000,
    tolerance: 1e-3,
  },
  { name: 'asgd', make: () => asgd({ learningRate: 1e-3, lambd: 0 }), steps: 20000, tolerance: 1e-3 },
  { name: 'adabelief', make: () => adabelief({ learningRate: 0.02 }), steps: 5000, tolerance: 1e-9 },
  { name: 'yogi', make: () => yogi({ learningRate: 0.02 }), steps: 5000, tolerance: 1e-2 },
  {
    name: 'lamb',
    make: () => lamb({ learningRate: (t) => 0.02 * 0.9997 ** t }),
    steps: 20000,
    tolerance: 1e-3,
  },
  { name: 'lars', make: () => lars({ learningRate: (t) => 2 * 0.9995 ** t }), steps: 20000, tolerance: 1e-6 },
  { name: 'adafactor', make: () => adafactor({ learningRate: 0.1 }), steps: 10000, tolerance: 5e-2 },
  {
    name: 'scheduleFreeSgd',
    make: () => scheduleFreeSgd({ learningRate: 1e-3 }),
    steps: 20000,
    tolerance: 1e-1,
  },
  {
    name: 'scheduleFreeAdamw',
    make: () => scheduleFreeAdamw({ learningRate: 0.02 }),
    steps: 10000,
    tolerance: 1e-2,
  },
  { name: 'prodigy (learning rate 1, no tuning)', make: () => prodigy(), steps: 10000, tolerance: 1e-5 },
];

function distance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

describe('convergence on a convex quadratic (3 dimensions, condition ~6)', () => {
  it.each(quadraticTable)('$name reaches the minimiser within $tolerance in $steps steps', (row) => {
    const path = runSteps(row.make(), convexQuadratic, [0, 0, 0], row.steps);
    expect(distance(path.at(-1)!, C)).toBeLessThan(row.tolerance);
  });
});

describe('convergence on Rosenbrock from (-1.2, 1)', () => {
  it.each(rosenbrockTable)('$name reaches (1, 1) within $tolerance in $steps steps', (row) => {
    const path = runSteps(row.make(), rosenbrock, [-1.2, 1], row.steps);
    expect(distance(path.at(-1)!, [1, 1])).toBeLessThan(row.tolerance);
  });
});
