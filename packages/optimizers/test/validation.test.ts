// Invalid hyperparameters throw at construction, naming the parameter and the valid range.
import { describe, expect, it } from 'vitest';
import {
  accumulateGradients,
  adabelief,
  adadelta,
  adafactor,
  adagrad,
  adam,
  adamax,
  adamw,
  addGradientNoise,
  asgd,
  clipByGlobalNorm,
  clipByValue,
  lamb,
  lars,
  lbfgs,
  lion,
  lookahead,
  muon,
  nadam,
  parameterEma,
  prodigy,
  radam,
  rmsprop,
  rprop,
  scaleByAdam,
  scheduleFreeSgd,
  sgd,
  stochasticWeightAveraging,
  trace,
  yogi,
} from '../src/index.js';
import { rosenbrock } from './objectives.js';

const cases: [string, () => unknown, string][] = [
  ['asgd lambd', () => asgd({ lambd: -1 }), 'asgd: lambd must be a finite number >= 0, got -1'],
  ['adabelief beta1', () => adabelief({ beta1: 1 }), 'adabelief: beta1 must be in [0, 1), got 1'],
  ['yogi beta2', () => yogi({ beta2: 2 }), 'yogi: beta2 must be in [0, 1), got 2'],
  ['lamb eps', () => lamb({ eps: -1 }), 'lamb: eps must be a finite number >= 0, got -1'],
  [
    'lars trust coefficient',
    () => lars({ trustCoefficient: 0 }),
    'lars: trustCoefficient must be a finite number > 0, got 0',
  ],
  ['adafactor beta2Decay', () => adafactor({ beta2Decay: 1 }), 'adafactor: beta2Decay must be <= 0, got 1'],
  [
    'schedule-free warmup',
    () => scheduleFreeSgd({ warmupSteps: 1.5 }),
    'scheduleFreeSgd: warmupSteps must be an integer >= 0, got 1.5',
  ],
  ['prodigy d0', () => prodigy({ d0: 0 }), 'prodigy: d0 must be a finite number > 0, got 0'],
  ['muon nsSteps', () => muon({ layout: [], nsSteps: -1 }), 'muon: nsSteps must be an integer >= 0, got -1'],
  [
    'lbfgs history',
    () => lbfgs(rosenbrock, [0, 0], { historySize: 0 }),
    'lbfgs: historySize must be an integer >= 1, got 0',
  ],
  [
    'negative learning rate',
    () => sgd({ learningRate: -0.1 }),
    'sgd: learningRate must be a finite number >= 0, got -0.1',
  ],
  [
    'NaN learning rate',
    () => adam({ learningRate: Number.NaN }),
    'adam: learningRate must be a finite number >= 0, got NaN',
  ],
  ['negative momentum', () => sgd({ momentum: -1 }), 'sgd: momentum must be a finite number >= 0, got -1'],
  [
    'nesterov without momentum',
    () => sgd({ nesterov: true }),
    'sgd: momentum must be > 0 when nesterov is true, got 0',
  ],
  [
    'nesterov with dampening',
    () => sgd({ nesterov: true, momentum: 0.9, dampening: 0.1 }),
    'sgd: dampening must be 0 when nesterov is true, got 0.1',
  ],
  ['dampening above 1', () => sgd({ dampening: 2 }), 'sgd: dampening must be in [0, 1], got 2'],
  [
    'negative weight decay',
    () => adamw({ weightDecay: -0.01 }),
    'adamw: weightDecay must be a finite number >= 0, got -0.01',
  ],
  ['beta1 = 1', () => adam({ beta1: 1 }), 'adam: beta1 must be in [0, 1), got 1'],
  ['beta2 < 0', () => adamw({ beta2: -0.5 }), 'adamw: beta2 must be in [0, 1), got -0.5'],
  ['negative eps', () => adam({ eps: -1e-8 }), 'adam: eps must be a finite number >= 0, got -1e-8'],
  ['adamax beta2', () => adamax({ beta2: 1.5 }), 'adamax: beta2 must be in [0, 1), got 1.5'],
  [
    'nadam momentumDecay',
    () => nadam({ momentumDecay: -1 }),
    'nadam: momentumDecay must be a finite number >= 0, got -1',
  ],
  ['radam beta1', () => radam({ beta1: 1 }), 'radam: beta1 must be in [0, 1), got 1'],
  ['lion beta1', () => lion({ beta1: 1.1 }), 'lion: beta1 must be in [0, 1], got 1.1'],
  [
    'adagrad lrDecay',
    () => adagrad({ lrDecay: -1 }),
    'adagrad: lrDecay must be a finite number >= 0, got -1',
  ],
  [
    'adagrad initial accumulator',
    () => adagrad({ initialAccumulator: -0.1 }),
    'adagrad: initialAccumulator must be a finite number >= 0, got -0.1',
  ],
  ['rmsprop alpha', () => rmsprop({ alpha: 1.5 }), 'rmsprop: alpha must be in [0, 1], got 1.5'],
  ['adadelta rho', () => adadelta({ rho: -0.1 }), 'adadelta: rho must be in [0, 1], got -0.1'],
  ['rprop etaMinus', () => rprop({ etaMinus: 1 }), 'rprop: etaMinus must be in (0, 1), got 1'],
  ['rprop etaPlus', () => rprop({ etaPlus: 0.9 }), 'rprop: etaPlus must be a finite number > 1, got 0.9'],
  [
    'rprop step bounds',
    () => rprop({ minStep: 1, maxStep: 0.5 }),
    'rprop: maxStep must be >= minStep (1), got 0.5',
  ],
  ['lookahead k', () => lookahead(sgd(), { k: 0 }), 'lookahead: k must be an integer >= 1, got 0'],
  ['lookahead alpha', () => lookahead(sgd(), { alpha: 2 }), 'lookahead: alpha must be in [0, 1], got 2'],
  [
    'swa start',
    () => stochasticWeightAveraging(sgd(), { start: -1 }),
    'stochasticWeightAveraging: start must be an integer >= 0, got -1',
  ],
  [
    'swa learning rate',
    () => stochasticWeightAveraging(sgd(), { start: 0, learningRate: -1 }),
    'stochasticWeightAveraging: learningRate must be a finite number >= 0, got -1',
  ],
  ['ema decay', () => parameterEma(sgd(), { decay: 1.5 }), 'parameterEma: decay must be in [0, 1], got 1.5'],
  [
    'accumulation length',
    () => accumulateGradients(sgd(), { every: 1.5 }),
    'accumulateGradients: every must be an integer >= 1, got 1.5',
  ],
  ['clip value', () => clipByValue(-1), 'clipByValue: maxAbs must be a finite number >= 0, got -1'],
  [
    'clip norm',
    () => clipByGlobalNorm(Number.NaN),
    'clipByGlobalNorm: maxNorm must be a finite number >= 0, got NaN',
  ],
  [
    'noise eta',
    () => addGradientNoise({ eta: -1 }),
    'addGradientNoise: eta must be a finite number >= 0, got -1',
  ],
  ['transform beta', () => scaleByAdam({ beta2: 1 }), 'scaleByAdam: beta2 must be in [0, 1), got 1'],
  [
    'transform momentum',
    () => trace({ momentum: -0.5 }),
    'trace: momentum must be a finite number >= 0, got -0.5',
  ],
];

describe('hyperparameter validation at construction', () => {
  it.each(cases)('%s', (_label, make, message) => {
    expect(make).toThrow(RangeError);
    expect(make).toThrow(message);
  });

  it('accepts the boundaries and schedules', () => {
    expect(() => sgd({ learningRate: 0, momentum: 0, dampening: 1 })).not.toThrow();
    expect(() => adam({ beta1: 0, beta2: 0 })).not.toThrow();
    expect(() => sgd({ learningRate: (t) => 0.1 / (1 + t) })).not.toThrow();
  });
});
