// The convergence table: every optimizer on a convex quadratic, on Rosenbrock's valley and (for the
// methods that work per weight matrix) on a matrix quadratic. Shared by the test, which checks that
// each row gets within its tolerance in its budget, and `pnpm convergence`
// (bench/convergence-table.ts), which prints steps and objective evaluations to a common target.
import type { Objective, Optimizer, UpdateContext } from '@downhill/core';
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
  type LayoutBlock,
  lamb,
  lars,
  lbfgs,
  lion,
  lookahead,
  muon,
  nadam,
  newton,
  prodigy,
  radam,
  rmsprop,
  rprop,
  sam,
  scheduleFreeAdamw,
  scheduleFreeSgd,
  sgd,
  yogi,
} from '../src/index.js';
import { quadratic, rosenbrock } from './objectives.js';

/** A test problem: an objective without data, a start and the minimiser. */
export interface Problem {
  readonly name: string;
  readonly objective: Objective<void>;
  readonly start: readonly number[];
  readonly minimiser: readonly number[];
}

/** How a row runs: an optimizer driven one evaluation a step (as `train()`), or a standalone minimiser. */
export type Method =
  | {
      readonly kind: 'steps';
      /** Built per run; `objective` is the counted one (SAM evaluates it a second time per step). */
      readonly make: (objective: Objective<void>) => Optimizer;
    }
  | {
      readonly kind: 'minimiser';
      /** Runs `iterations` iterations from `start` (a fresh run each time). */
      readonly minimise: (
        objective: Objective<void>,
        start: readonly number[],
        iterations: number,
      ) => { readonly params: Float64Array };
    };

export interface Row {
  readonly name: string;
  readonly method: Method;
  /** Steps (iterations for a minimiser) the test allows. */
  readonly steps: number;
  /** Largest distance to the minimiser the test accepts after `steps`. */
  readonly tolerance: number;
}

const steps = (make: (objective: Objective<void>) => Optimizer): Method => ({ kind: 'steps', make });

function distance(a: ArrayLike<number>, b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** `objective` with a count of its evaluations (loss and gradient count as one). */
export function counted(objective: Objective<void>): { objective: Objective<void>; count: () => number } {
  let n = 0;
  return {
    objective: {
      dimension: objective.dimension,
      loss(x, batch, grad) {
        n++;
        return objective.loss(x, batch, grad);
      },
    },
    count: () => n,
  };
}

/** What a row does on a problem: where it is after its budget, and when it first got within `target`. */
export interface Convergence {
  /** Distance to the minimiser after `steps` steps (or iterations). */
  readonly distance: number;
  /** First step (iteration) after which the distance is below the target; undefined if none. */
  readonly stepsToTarget: number | undefined;
  /** Objective evaluations (each with its gradient) spent up to that point. */
  readonly evaluationsToTarget: number | undefined;
}

/**
 * Runs `method` for up to `budget` steps on `problem`. Steps follow core's run loop: one
 * evaluation for the gradient, `update`, `params += updates`; extra evaluations inside the update
 * (SAM) are counted too. A minimiser is run afresh with 1, 2, ... iterations, so its count is
 * that of a run stopped right there.
 */
export function converge(method: Method, problem: Problem, budget: number, target: number): Convergence {
  const { minimiser } = problem;
  if (method.kind === 'minimiser') {
    let hit: { steps: number; evaluations: number } | undefined;
    for (let k = 1; k <= budget && !hit; k++) {
      const c = counted(problem.objective);
      const { params } = method.minimise(c.objective, problem.start, k);
      if (distance(params, minimiser) < target) hit = { steps: k, evaluations: c.count() };
    }
    const { params } = method.minimise(problem.objective, problem.start, budget);
    return {
      distance: distance(params, minimiser),
      stepsToTarget: hit?.steps,
      evaluationsToTarget: hit?.evaluations,
    };
  }
  const c = counted(problem.objective);
  const optimizer = method.make(c.objective);
  const params = Float64Array.from(problem.start);
  const updates = new Float64Array(params.length);
  const state = optimizer.init(params);
  const context: UpdateContext & { step: number; loss: number } = {
    step: 0,
    loss: 0,
    overrides: {},
    current: {},
  };
  let hit: { steps: number; evaluations: number } | undefined;
  for (let t = 0; t < budget; t++) {
    context.loss = c.objective.loss(params, undefined, updates);
    context.step = t;
    optimizer.update(updates, state, params, context);
    for (let i = 0; i < params.length; i++) params[i]! += updates[i]!;
    if (!hit && distance(params, minimiser) < target) hit = { steps: t + 1, evaluations: c.count() };
  }
  return {
    distance: distance(params, minimiser),
    stepsToTarget: hit?.steps,
    evaluationsToTarget: hit?.evaluations,
  };
}

// L-BFGS as PyTorch's with strong Wolfe; the tolerances off, so that only the iteration count stops it.
const lbfgsMethod: Method = {
  kind: 'minimiser',
  minimise: (objective, start, iterations) =>
    lbfgs(objective, start, {
      lineSearch: 'strong-wolfe',
      maxIterations: iterations,
      maxEvaluations: 25 * iterations,
      toleranceGrad: 0,
      toleranceChange: 0,
    }),
};
// Newton with a finite-difference Hessian (2 n gradients an iteration) and Armijo backtracking.
export const newtonMethodForTest: Method = {
  kind: 'minimiser',
  minimise: (objective, start, iterations) =>
    newton(objective, start, { maxIterations: iterations, toleranceGrad: 0 }),
};

// f(x) = 1/2 (x - c)^T A (x - c): A symmetric positive definite (eigenvalues ~0.74 to ~4.5).
const A = Float64Array.from([4, 1, 0, 1, 3, 0.5, 0, 0.5, 1]);
const C = [1, -2, 0.5];

export const convexQuadratic: Problem = {
  name: 'convex quadratic (3 dimensions, condition ~6)',
  objective: quadratic(A, Float64Array.from(C)),
  start: [0, 0, 0],
  minimiser: C,
};

export const rosenbrockValley: Problem = {
  name: 'Rosenbrock from (-1.2, 1)',
  objective: rosenbrock,
  start: [-1.2, 1],
  minimiser: [1, 1],
};

export const quadraticTable: Row[] = [
  { name: 'sgd', method: steps(() => sgd({ learningRate: 0.1 })), steps: 500, tolerance: 1e-9 },
  {
    name: 'sgd momentum',
    method: steps(() => sgd({ learningRate: 0.05, momentum: 0.9 })),
    steps: 500,
    tolerance: 1e-9,
  },
  {
    name: 'sgd nesterov',
    method: steps(() => sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })),
    steps: 500,
    tolerance: 1e-9,
  },
  { name: 'adagrad', method: steps(() => adagrad({ learningRate: 0.5 })), steps: 2000, tolerance: 1e-9 },
  { name: 'rmsprop', method: steps(() => rmsprop({ learningRate: 0.001 })), steps: 5000, tolerance: 5e-3 },
  { name: 'adadelta', method: steps(() => adadelta({ learningRate: 0.4 })), steps: 20000, tolerance: 1e-6 },
  { name: 'adam', method: steps(() => adam({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  {
    name: 'adamw',
    method: steps(() => adamw({ learningRate: 0.05, weightDecay: 0 })),
    steps: 2000,
    tolerance: 1e-9,
  },
  { name: 'amsgrad', method: steps(() => amsgrad({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  { name: 'adamax', method: steps(() => adamax({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  { name: 'nadam', method: steps(() => nadam({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  { name: 'radam', method: steps(() => radam({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  { name: 'lion', method: steps(() => lion({ learningRate: 0.01 })), steps: 2000, tolerance: 1e-9 },
  { name: 'rprop', method: steps(() => rprop({ initialStep: 0.01 })), steps: 500, tolerance: 1e-5 },
  {
    name: 'lookahead(adam)',
    method: steps(() => lookahead(adam({ learningRate: 0.05 }))),
    steps: 2000,
    tolerance: 1e-9,
  },
  { name: 'asgd', method: steps(() => asgd({ learningRate: 0.1, lambd: 0 })), steps: 500, tolerance: 1e-9 },
  { name: 'adabelief', method: steps(() => adabelief({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  { name: 'yogi', method: steps(() => yogi({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  // Trust-ratio methods step a fixed fraction of ||p||: they need a decaying learning rate to settle.
  {
    name: 'lamb',
    method: steps(() => lamb({ learningRate: (t) => 0.05 * 0.99 ** t })),
    steps: 3000,
    tolerance: 1e-9,
  },
  {
    name: 'lars',
    method: steps(() => lars({ learningRate: (t) => 20 * 0.995 ** t })),
    steps: 5000,
    tolerance: 1e-9,
  },
  // Adafactor's step is a fraction of RMS(p) that decays as 1/sqrt(t): it closes in slowly.
  { name: 'adafactor', method: steps(() => adafactor({ learningRate: 0.1 })), steps: 2000, tolerance: 5e-2 },
  // Schedule-free methods: the run's parameters are y (the gradient point), checked here.
  {
    name: 'scheduleFreeSgd',
    method: steps(() => scheduleFreeSgd({ learningRate: 0.1 })),
    steps: 2000,
    tolerance: 1e-5,
  },
  {
    name: 'scheduleFreeAdamw',
    method: steps(() => scheduleFreeAdamw({ learningRate: 0.05 })),
    steps: 2000,
    tolerance: 1e-9,
  },
  {
    name: 'prodigy (learning rate 1, no tuning)',
    method: steps(() => prodigy()),
    steps: 3000,
    tolerance: 1e-9,
  },
  // SAM steps with the gradient at w + rho g / ||g||: it settles where that gradient vanishes, not at
  // the minimiser (the perturbation never shrinks), so it is a rho-scale distance away.
  {
    name: 'sam(sgd), rho 0.01',
    method: steps((objective) => sam(sgd({ learningRate: 0.1 }), { objective, rho: 0.01 })),
    steps: 500,
    tolerance: 5e-2,
  },
  { name: 'lbfgs (strong Wolfe)', method: lbfgsMethod, steps: 20, tolerance: 1e-9 },
  { name: 'newton (finite differences)', method: newtonMethodForTest, steps: 5, tolerance: 1e-9 },
];

export const rosenbrockTable: Row[] = [
  { name: 'sgd', method: steps(() => sgd({ learningRate: 1e-3 })), steps: 20000, tolerance: 1e-3 },
  {
    name: 'sgd momentum',
    method: steps(() => sgd({ learningRate: 1e-3, momentum: 0.9 })),
    steps: 5000,
    tolerance: 1e-6,
  },
  {
    name: 'sgd nesterov',
    method: steps(() => sgd({ learningRate: 1e-3, momentum: 0.9, nesterov: true })),
    steps: 5000,
    tolerance: 1e-6,
  },
  { name: 'adagrad', method: steps(() => adagrad({ learningRate: 0.5 })), steps: 20000, tolerance: 1e-4 },
  { name: 'rmsprop', method: steps(() => rmsprop({ learningRate: 1e-3 })), steps: 10000, tolerance: 1e-2 },
  {
    name: 'rmsprop centered, momentum',
    method: steps(() => rmsprop({ learningRate: 1e-3, centered: true, momentum: 0.5 })),
    steps: 10000,
    tolerance: 1e-2,
  },
  {
    name: 'adadelta',
    method: steps(() => adadelta({ learningRate: 0.002, eps: 0.1 })),
    steps: 50000,
    tolerance: 1e-2,
  },
  { name: 'adam', method: steps(() => adam({ learningRate: 0.02 })), steps: 5000, tolerance: 1e-6 },
  {
    name: 'adamw',
    method: steps(() => adamw({ learningRate: 0.02, weightDecay: 0 })),
    steps: 5000,
    tolerance: 1e-6,
  },
  { name: 'amsgrad', method: steps(() => amsgrad({ learningRate: 0.02 })), steps: 10000, tolerance: 1e-3 },
  { name: 'adamax', method: steps(() => adamax({ learningRate: 0.02 })), steps: 5000, tolerance: 1e-3 },
  { name: 'nadam', method: steps(() => nadam({ learningRate: 0.01 })), steps: 10000, tolerance: 1e-2 },
  { name: 'radam', method: steps(() => radam({ learningRate: 2e-3 })), steps: 10000, tolerance: 1e-2 },
  { name: 'lion', method: steps(() => lion({ learningRate: 1e-3 })), steps: 5000, tolerance: 1e-6 },
  { name: 'rprop', method: steps(() => rprop({ initialStep: 0.01 })), steps: 10000, tolerance: 1e-2 },
  {
    name: 'lookahead(adam)',
    method: steps(() => lookahead(adam({ learningRate: 0.02 }))),
    steps: 5000,
    tolerance: 1e-3,
  },
  {
    name: 'asgd',
    method: steps(() => asgd({ learningRate: 1e-3, lambd: 0 })),
    steps: 20000,
    tolerance: 1e-3,
  },
  { name: 'adabelief', method: steps(() => adabelief({ learningRate: 0.02 })), steps: 5000, tolerance: 1e-9 },
  { name: 'yogi', method: steps(() => yogi({ learningRate: 0.02 })), steps: 5000, tolerance: 1e-2 },
  {
    name: 'lamb',
    method: steps(() => lamb({ learningRate: (t) => 0.02 * 0.9997 ** t })),
    steps: 20000,
    tolerance: 1e-3,
  },
  {
    name: 'lars',
    method: steps(() => lars({ learningRate: (t) => 2 * 0.9995 ** t })),
    steps: 20000,
    tolerance: 1e-6,
  },
  { name: 'adafactor', method: steps(() => adafactor({ learningRate: 0.1 })), steps: 10000, tolerance: 5e-2 },
  {
    name: 'scheduleFreeSgd',
    method: steps(() => scheduleFreeSgd({ learningRate: 1e-3 })),
    steps: 20000,
    tolerance: 1e-1,
  },
  {
    name: 'scheduleFreeAdamw',
    method: steps(() => scheduleFreeAdamw({ learningRate: 0.02 })),
    steps: 10000,
    tolerance: 1e-2,
  },
  {
    name: 'prodigy (learning rate 1, no tuning)',
    method: steps(() => prodigy()),
    steps: 10000,
    tolerance: 1e-5,
  },
  // In the curved valley SAM's fixed point moves along it: 0.24 from (1, 1) at rho 0.01 (measured),
  // 1.7e-3 at rho 0.001.
  {
    name: 'sam(sgd momentum), rho 0.001',
    method: steps((objective) => sam(sgd({ learningRate: 1e-3, momentum: 0.9 }), { objective, rho: 0.001 })),
    steps: 5000,
    tolerance: 5e-3,
  },
  { name: 'lbfgs (strong Wolfe)', method: lbfgsMethod, steps: 60, tolerance: 1e-9 },
  { name: 'newton (finite differences)', method: newtonMethodForTest, steps: 40, tolerance: 1e-9 },
];

// Muon works on weight matrices only: a 2 x 2 block with curvatures 1 to 10, plus a bias the
// fallback optimizer handles. The layer-wise methods get the same layout.
const curvature = [1, 2, 5, 10, 3];
const target = [0.5, -1, 2, 1.5, -0.5];
const matrixLayout: LayoutBlock[] = [
  { name: 'w', offset: 0, rows: 2, cols: 2, kind: 'weight' },
  { name: 'b', offset: 4, rows: 1, cols: 1, kind: 'bias' },
];

export const matrixQuadratic: Problem = {
  name: 'matrix quadratic (2 x 2 weight and a bias, curvatures 1 to 10)',
  objective: {
    dimension: 5,
    loss(p, _batch, grad) {
      let f = 0;
      for (let i = 0; i < 5; i++) {
        const d = p[i]! - target[i]!;
        f += 0.5 * curvature[i]! * d * d;
        if (grad) grad[i] = curvature[i]! * d;
      }
      return f;
    },
  },
  start: [0.1, 0.1, 0.1, 0.1, 0.1],
  minimiser: target,
};

export const matrixTable: Row[] = [
  { name: 'sgd', method: steps(() => sgd({ learningRate: 0.1 })), steps: 500, tolerance: 1e-9 },
  { name: 'adam', method: steps(() => adam({ learningRate: 0.05 })), steps: 2000, tolerance: 1e-9 },
  {
    // A trust ratio steps by a fraction of |b|: the bias, which must cross 0, is left out of it.
    name: 'lamb (per block, bias without trust ratio)',
    method: steps(() =>
      lamb({
        layout: matrixLayout,
        trustRatioMask: (b) => b.kind !== 'bias',
        learningRate: (t) => 0.05 * 0.99 ** t,
      }),
    ),
    steps: 3000,
    tolerance: 1e-6,
  },
  {
    name: 'lars (per block)',
    method: steps(() => lars({ layout: matrixLayout, learningRate: (t) => 20 * 0.995 ** t })),
    steps: 5000,
    tolerance: 1e-6,
  },
  {
    name: 'adafactor (factored)',
    method: steps(() => adafactor({ layout: matrixLayout, learningRate: 0.1 })),
    steps: 5000,
    tolerance: 5e-2,
  },
  // Orthogonalised steps have unit singular values: a decaying rate lets them settle.
  {
    name: 'muon (sgd for the bias)',
    method: steps(() =>
      muon({
        layout: matrixLayout,
        learningRate: (t) => 0.1 * 0.995 ** t,
        weightDecay: 0,
        fallback: sgd({ learningRate: 0.1 }),
      }),
    ),
    steps: 3000,
    tolerance: 1e-3,
  },
];
