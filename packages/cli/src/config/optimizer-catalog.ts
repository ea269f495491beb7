import type { Optimizer, ScheduleLike } from '@downhill/core';
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
  lbfgsOptimizer,
  lion,
  muon,
  nadam,
  newtonOptimizer,
  prodigy,
  radam,
  rmsprop,
  rprop,
  sam,
  scheduleFreeAdamw,
  scheduleFreeSgd,
  sgd,
  yogi,
} from '@downhill/optimizers';
import {
  boolean,
  type ComponentCatalog,
  type ComponentChoice,
  choice,
  component,
  createComponent,
  integer,
  number,
} from './component-catalog.js';

/**
 * What an optimizer is built with besides its own options: the learning rate, possibly
 * scheduled, and the model's parameter layout for the optimizers that work per block.
 */
export interface OptimizerContext {
  /** The schedule from the config's `schedule` section, which replaces `learningRate`. */
  readonly learningRate: ScheduleLike | undefined;
  /** The model's named, shaped parameter blocks (Muon, LAMB, LARS and Adafactor use them). */
  readonly layout?: readonly LayoutBlock[];
}

const rate = number({ above: 0 });
const fraction = number({ min: 0, below: 1 });
const nonNegative = number({ min: 0 });

const common = { learningRate: rate, weightDecay: nonNegative, maximize: boolean };
const adamFamily = { ...common, beta1: fraction, beta2: fraction, eps: nonNegative };

// biome-ignore lint/suspicious/noExplicitAny: the options were checked against each entry's rules
type Options = any;

/** Keeps only the parameter blocks a trust ratio applies to (LAMB and LARS usually skip biases). */
function withLayout(options: Readonly<Record<string, unknown>>, context: OptimizerContext): Options {
  const { excludeBiases, ...rest } = options;
  return {
    ...rest,
    ...(context.layout ? { layout: context.layout } : {}),
    ...(excludeBiases === true ? { trustRatioMask: (b: LayoutBlock) => b.kind !== 'bias' } : {}),
  };
}

function withRate(options: Readonly<Record<string, unknown>>, context: OptimizerContext): Options {
  return context.learningRate === undefined ? options : { ...options, learningRate: context.learningRate };
}

/**
 * The optimizers a config can name (`optimizer.name`), with the options each accepts. Names and
 * defaults are those of `@downhill/optimizers` (PyTorch's); `momentum` and `nesterov` are SGD
 * with momentum 0.9 (plain and Nesterov) for configs that want the classic names.
 */
export const optimizerCatalog: ComponentCatalog<Optimizer, OptimizerContext> = {
  sgd: {
    summary: 'stochastic gradient descent, optional (Nesterov) momentum',
    options: { ...common, momentum: nonNegative, dampening: number({ min: 0, max: 1 }), nesterov: boolean },
    create: (o, c) => sgd(withRate(o, c)),
  },
  momentum: {
    summary: 'SGD with heavy-ball momentum (default 0.9)',
    options: { ...common, momentum: nonNegative, dampening: number({ min: 0, max: 1 }) },
    create: (o, c) => sgd({ momentum: 0.9, ...withRate(o, c) }),
  },
  nesterov: {
    summary: 'SGD with Nesterov momentum (default 0.9)',
    options: { ...common, momentum: number({ above: 0 }) },
    create: (o, c) => sgd({ momentum: 0.9, ...withRate(o, c), nesterov: true }),
  },
  adagrad: {
    summary: 'AdaGrad: per-parameter rates from the sum of squared gradients',
    options: { ...common, lrDecay: nonNegative, initialAccumulator: nonNegative, eps: nonNegative },
    create: (o, c) => adagrad(withRate(o, c)),
  },
  adadelta: {
    summary: 'AdaDelta',
    options: { ...common, rho: number({ min: 0, max: 1 }), eps: nonNegative },
    create: (o, c) => adadelta(withRate(o, c)),
  },
  rmsprop: {
    summary: 'RMSProp: gradients scaled by a running RMS',
    options: {
      ...common,
      alpha: number({ min: 0, max: 1 }),
      eps: nonNegative,
      momentum: nonNegative,
      centered: boolean,
    },
    create: (o, c) => rmsprop(withRate(o, c)),
  },
  adam: {
    summary: 'Adam: bias-corrected first and second moments',
    options: { ...adamFamily, amsgrad: boolean },
    create: (o, c) => adam(withRate(o, c)),
  },
  adamw: {
    summary: 'AdamW: Adam with decoupled weight decay',
    options: { ...adamFamily, amsgrad: boolean },
    create: (o, c) => adamw(withRate(o, c)),
  },
  amsgrad: {
    summary: 'AMSGrad: Adam with the maximum of past second moments',
    options: adamFamily,
    create: (o, c) => amsgrad(withRate(o, c)),
  },
  adamax: {
    summary: 'AdaMax: Adam with the infinity norm',
    options: adamFamily,
    create: (o, c) => adamax(withRate(o, c)),
  },
  nadam: {
    summary: 'NAdam: Adam with Nesterov momentum',
    options: { ...adamFamily, momentumDecay: nonNegative, decoupledWeightDecay: boolean },
    create: (o, c) => nadam(withRate(o, c)),
  },
  radam: {
    summary: 'RAdam: Adam with a rectified variance warm-up',
    options: { ...adamFamily, decoupledWeightDecay: boolean },
    create: (o, c) => radam(withRate(o, c)),
  },
  lion: {
    summary: 'Lion: sign of interpolated momentum',
    options: {
      learningRate: rate,
      weightDecay: nonNegative,
      maximize: boolean,
      beta1: fraction,
      beta2: fraction,
    },
    create: (o, c) => lion(withRate(o, c)),
  },
  rprop: {
    summary: 'Rprop: per-parameter step sizes from gradient signs (full batch)',
    options: {
      initialStep: rate,
      etaMinus: number({ above: 0, below: 1 }),
      etaPlus: number({ above: 1 }),
      minStep: nonNegative,
      maxStep: rate,
      maximize: boolean,
    },
    create: (o) => rprop(o as Options),
  },
  asgd: {
    summary: "ASGD: averaged SGD (PyTorch's), evaluate the average from the optimizer state",
    options: { ...common, lambd: nonNegative, alpha: nonNegative, t0: nonNegative },
    create: (o, c) => asgd(withRate(o, c)),
  },
  adabelief: {
    summary: 'AdaBelief: Adam scaled by the belief in the gradient, (g - m)^2',
    options: adamFamily,
    create: (o, c) => adabelief(withRate(o, c)),
  },
  yogi: {
    summary: "Yogi: Adam with an additive second-moment update (Optax's bias correction)",
    options: {
      learningRate: rate,
      maximize: boolean,
      beta1: fraction,
      beta2: fraction,
      eps: nonNegative,
      initialAccumulator: nonNegative,
      biasCorrection: boolean,
    },
    create: (o, c) => yogi(withRate(o, c)),
  },
  lamb: {
    summary: "LAMB: Adam with a layer-wise trust ratio over the model's blocks",
    options: { ...adamFamily, excludeBiases: boolean },
    create: (o, c) => lamb(withLayout(withRate(o, c), c)),
  },
  lars: {
    summary: "LARS: momentum SGD with a layer-wise trust ratio over the model's blocks",
    options: {
      ...common,
      trustCoefficient: rate,
      eps: nonNegative,
      momentum: nonNegative,
      nesterov: boolean,
      excludeBiases: boolean,
    },
    create: (o, c) => lars(withLayout(withRate(o, c), c)),
  },
  adafactor: {
    summary: 'Adafactor: factored second moments for weight matrices, relative step sizes',
    options: {
      ...common,
      beta2Decay: number({ max: 0 }),
      eps1: nonNegative,
      eps2: nonNegative,
      clipThreshold: number({ min: 1 }),
    },
    create: (o, c) => adafactor(withLayout(withRate(o, c), c)),
  },
  'schedule-free-sgd': {
    summary: 'schedule-free SGD: an online average instead of a schedule (trains at y, evaluate x)',
    options: { ...common, beta1: fraction, warmupSteps: integer({ min: 0 }) },
    create: (o, c) => scheduleFreeSgd(withRate(o, c)),
  },
  'schedule-free-adamw': {
    summary: 'schedule-free AdamW (trains at y, evaluate x)',
    options: { ...adamFamily, warmupSteps: integer({ min: 0 }) },
    create: (o, c) => scheduleFreeAdamw(withRate(o, c)),
  },
  prodigy: {
    summary: 'Prodigy: learning-rate-free Adam (estimates the distance to the solution)',
    options: {
      ...adamFamily,
      beta3: fraction,
      decouple: boolean,
      biasCorrection: boolean,
      safeguardWarmup: boolean,
      d0: rate,
      dCoef: rate,
      growthRate: number({ min: 1 }),
    },
    create: (o, c) => prodigy(withRate(o, c)),
  },
  muon: {
    summary: 'Muon: orthogonalised momentum for weight matrices, AdamW for the other parameters',
    options: {
      learningRate: rate,
      weightDecay: nonNegative,
      momentum: fraction,
      nesterov: boolean,
      nsSteps: integer({ min: 0 }),
      eps: nonNegative,
      adjustLearningRate: choice('original', 'matchRmsAdamw', 'none'),
    },
    create: (o, c) => {
      if (!c.layout) throw new RangeError("muon needs the model's parameter layout");
      return muon({ ...withRate(o, c), layout: c.layout });
    },
  },
  lbfgs: {
    summary: "L-BFGS (PyTorch's): each step runs up to maxIterations iterations, usually with batchSize full",
    options: {
      learningRate: rate,
      maxIterations: integer({ min: 1 }),
      maxEvaluations: integer({ min: 1 }),
      toleranceGrad: nonNegative,
      toleranceChange: nonNegative,
      historySize: integer({ min: 1 }),
      lineSearch: choice('none', 'strong-wolfe'),
    },
    create: (o, c) => lbfgsOptimizer(withRate(o, c)),
  },
  newton: {
    summary: "Newton's method: finite-difference Hessian (2 n gradients a step), damping; small models only",
    options: {
      damping: nonNegative,
      finiteDifferenceStep: rate,
      toleranceGrad: nonNegative,
      lineSearch: choice('backtracking', 'none'),
    },
    create: (o) => newtonOptimizer(o as Options),
  },
  sam: {
    summary: 'SAM: sharpness-aware minimisation around a base optimizer (two gradients a step)',
    options: { rho: nonNegative, base: component(() => optimizerCatalog) },
    required: ['base'],
    // The second gradient comes from the run loop (the step's own batch), counted in its step events.
    create: (o, c) => {
      const base = o.base as ComponentChoice;
      // They evaluate the objective themselves, at the unperturbed point's loss: not a SAM base.
      if (base.name === 'lbfgs' || base.name === 'newton') {
        throw new RangeError(`sam's base must be a first-order optimizer, not ${base.name}`);
      }
      return sam(createComponent(base, optimizerCatalog, c), {
        ...(o.rho !== undefined ? { rho: o.rho as number } : {}),
      });
    },
  },
};

/**
 * The learning rate written in an optimizer's options, looking through wrappers (`sam`'s
 * `base`): the value a `schedule` section starts from.
 */
export function configuredLearningRate(choice: ComponentChoice): number | undefined {
  const { learningRate, base } = choice.options;
  if (typeof learningRate === 'number') return learningRate;
  return base === undefined ? undefined : configuredLearningRate(base as ComponentChoice);
}
