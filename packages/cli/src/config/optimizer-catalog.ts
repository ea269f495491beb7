import type { Optimizer, ScheduleLike } from '@downhill/core';
import {
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  lion,
  nadam,
  radam,
  rmsprop,
  rprop,
  sgd,
} from '@downhill/optimizers';
import { boolean, type ComponentCatalog, number } from './component-catalog.js';

/** What an optimizer is built with besides its own options: the learning rate, possibly scheduled. */
export interface OptimizerContext {
  /** The schedule from the config's `schedule` section, which replaces `learningRate`. */
  readonly learningRate: ScheduleLike | undefined;
}

const rate = number({ above: 0 });
const fraction = number({ min: 0, below: 1 });
const nonNegative = number({ min: 0 });

const common = { learningRate: rate, weightDecay: nonNegative, maximize: boolean };
const adamFamily = { ...common, beta1: fraction, beta2: fraction, eps: nonNegative };

// biome-ignore lint/suspicious/noExplicitAny: the options were checked against each entry's rules
type Options = any;

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
};
