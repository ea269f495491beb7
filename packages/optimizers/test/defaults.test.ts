// Defaults are PyTorch's (torch.optim documentation), Lion's are the paper's.
import { describe, expect, it } from 'vitest';
import {
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  lion,
  nadam,
  radam,
  rmsprop,
  rprop,
  sgd,
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
  ] as const)('%s', (name, optimizer, expected) => {
    expect(optimizer.name).toBe(name);
    expect(optimizer.describe()).toMatchObject({ name, ...expected });
  });
});
