// Defaults are PyTorch's (torch.optim documentation; Adafactor 2.5, Muon 2.9), Lion's are the
// paper's, AdaBelief's the authors', Yogi's, LAMB's and LARS' Optax's, Prodigy's prodigyopt's,
// schedule-free's the authors' package's.
import { describe, expect, it } from 'vitest';
import {
  adabelief,
  adadelta,
  adafactor,
  adagrad,
  adam,
  adamax,
  adamw,
  asgd,
  lamb,
  lars,
  lion,
  muon,
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

describe('defaults', () => {
  it.each([
    ['sgd', sgd(), { learningRate: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 }],
    [
      'adagrad',
      adagrad(),
      { learningRate: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulator: 0, eps: 1e-10 },
    ],
    [
      'rmsprop',
      rmsprop(),
      { learningRate: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
    ],
    ['adadelta', adadelta(), { learningRate: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 }],
    [
      'adam',
      adam(),
      { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false },
    ],
    ['adamw', adamw(), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 }],
    ['adamax', adamax(), { learningRate: 2e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }],
    ['nadam', nadam(), { learningRate: 2e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, momentumDecay: 4e-3 }],
    ['radam', radam(), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }],
    ['rprop', rprop(), { initialStep: 1e-2, etaMinus: 0.5, etaPlus: 1.2, minStep: 1e-6, maxStep: 50 }],
    ['lion', lion(), { learningRate: 1e-4, beta1: 0.9, beta2: 0.99, weightDecay: 0 }],
    ['asgd', asgd(), { learningRate: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0 }],
    ['adabelief', adabelief(), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-16, weightDecay: 0 }],
    ['yogi', yogi(), { learningRate: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-3, initialAccumulator: 1e-6 }],
    ['lamb', lamb(), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-6, weightDecay: 0 }],
    ['lars', lars(), { weightDecay: 0, trustCoefficient: 1e-3, eps: 0, momentum: 0.9, nesterov: false }],
    [
      'adafactor',
      adafactor(),
      { learningRate: 1e-2, beta2Decay: -0.8, eps1: 2 ** -52, eps2: 1e-3, clipThreshold: 1, weightDecay: 0 },
    ],
    ['scheduleFreeSgd', scheduleFreeSgd(), { learningRate: 1, beta1: 0.9, weightDecay: 0, warmupSteps: 0 }],
    [
      'scheduleFreeAdamw',
      scheduleFreeAdamw(),
      { learningRate: 2.5e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, warmupSteps: 0 },
    ],
    ['prodigy', prodigy(), { learningRate: 1, beta1: 0.9, beta2: 0.999, eps: 1e-8, d0: 1e-6, dCoef: 1 }],
    [
      'muon',
      muon({ layout: [] }),
      { learningRate: 1e-3, weightDecay: 0.1, momentum: 0.95, nesterov: true, nsSteps: 5, eps: 1e-7 },
    ],
  ] as const)('%s', (name, optimizer, expected) => {
    expect(optimizer.name).toBe(name);
    expect(optimizer.describe()).toMatchObject({ name, ...expected });
  });
});
