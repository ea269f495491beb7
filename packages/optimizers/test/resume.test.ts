// A run resumed from saved optimizer state (serialized to JSON and back, as a checkpoint or the
// wire would carry it) continues bit-identically to the run that never stopped.
import {
  deserializeState,
  type EndEvent,
  type Objective,
  type Optimizer,
  serializeState,
  type TrainEvent,
  train,
} from '@downhill/core';
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
  amsgrad,
  asgd,
  chain,
  clipByGlobalNorm,
  clipByValue,
  lamb,
  lars,
  lbfgsOptimizer,
  lion,
  lookahead,
  nadam,
  newtonOptimizer,
  parameterEma,
  prodigy,
  radam,
  rmsprop,
  rprop,
  sam,
  scaleByLearningRate,
  scheduleFreeAdamw,
  scheduleFreeSgd,
  sgd,
  skipNonFinite,
  stochasticWeightAveraging,
  yogi,
} from '../src/index.js';
import { rosenbrock } from './objectives.js';

const optimizers: Record<string, () => Optimizer> = {
  sgd: () => sgd({ learningRate: 1e-3 }),
  'sgd momentum nesterov wd': () =>
    sgd({ learningRate: 1e-3, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  adagrad: () => adagrad({ learningRate: 0.1, lrDecay: 0.01 }),
  'rmsprop centered momentum': () => rmsprop({ learningRate: 1e-3, centered: true, momentum: 0.5 }),
  adadelta: () => adadelta(),
  adam: () => adam({ learningRate: 0.01 }),
  adamw: () => adamw({ learningRate: 0.01 }),
  amsgrad: () => amsgrad({ learningRate: 0.01 }),
  adamax: () => adamax(),
  nadam: () => nadam(),
  radam: () => radam({ beta2: 0.9 }),
  lion: () => lion({ learningRate: 1e-3, weightDecay: 0.1 }),
  rprop: () => rprop(),
  'lookahead(adam)': () => lookahead(adam({ learningRate: 0.01 }), { k: 3 }),
  'swa(sgd)': () => stochasticWeightAveraging(sgd({ learningRate: 1e-3 }), { start: 3, learningRate: 5e-4 }),
  'ema(nadam)': () => parameterEma(nadam(), { decay: 0.9 }),
  'asgd t0 2': () => asgd({ learningRate: 1e-3, lambd: 0.01, t0: 2 }),
  adabelief: () => adabelief({ learningRate: 0.01, weightDecay: 0.01 }),
  yogi: () => yogi(),
  lamb: () => lamb({ learningRate: 0.01, weightDecay: 0.01 }),
  lars: () => lars({ learningRate: 0.5 }),
  adafactor: () => adafactor({ weightDecay: 0.01 }),
  'scheduleFreeSgd warmup': () => scheduleFreeSgd({ learningRate: 1e-3, warmupSteps: 4 }),
  scheduleFreeAdamw: () => scheduleFreeAdamw({ learningRate: 0.01, weightDecay: 0.01 }),
  prodigy: () => prodigy({ weightDecay: 0.01 }),
  'accumulate(adam)': () => accumulateGradients(adam({ learningRate: 0.01 }), { every: 3 }),
  // A history of 3 pairs fills and rotates within the 11 steps.
  'lbfgs (strong Wolfe, 2 iterations a step)': () =>
    lbfgsOptimizer({ maxIterations: 2, historySize: 3, lineSearch: 'strong-wolfe' }),
  'newton (finite differences, damped)': () => newtonOptimizer({ damping: 1 }),
  'sam(sgd momentum)': () => sam(sgd({ learningRate: 1e-3, momentum: 0.9 }), { rho: 0.01 }),
  'noise, clip, skip, sgd': () =>
    skipNonFinite(
      chain(
        addGradientNoise({ eta: 0.3, seed: 5 }),
        clipByValue(50),
        clipByGlobalNorm(10),
        scaleByLearningRate(1e-3),
      ),
    ),
};

function runToEnd(spec: Parameters<typeof train<void>>[0]): EndEvent {
  let end: EndEvent | undefined;
  train(spec).subscribe((e: TrainEvent) => {
    if (e.type === 'end') end = e;
  });
  if (!end) throw new Error('the run did not end synchronously');
  return end;
}

const objective: Objective<void> = rosenbrock;

describe('save and restore: a resumed run is bit-identical', () => {
  it.each(Object.keys(optimizers))('%s', (name) => {
    const total = 11;
    const cut = 5;
    const whole = runToEnd({
      objective,
      optimizer: optimizers[name]!(),
      params: [-1.2, 1],
      steps: total,
      mode: 'sync',
      returnState: true,
    });
    const first = runToEnd({
      objective,
      optimizer: optimizers[name]!(),
      params: [-1.2, 1],
      steps: cut,
      mode: 'sync',
      returnState: true,
    });
    const saved = JSON.parse(JSON.stringify(first.optimizerState));
    const second = runToEnd({
      objective,
      optimizer: optimizers[name]!(),
      params: first.params,
      steps: total,
      mode: 'sync',
      returnState: true,
      resume: { step: cut, optimizerState: deserializeState(saved) },
    });
    expect(whole.reason).toBe('completed');
    expect(second.step).toBe(total);
    // Bit-identical: Object.is on every coordinate, and the same state.
    expect(second.params.map((v, i) => Object.is(v, whole.params[i]))).toEqual(whole.params.map(() => true));
    expect(serializeState(deserializeState(second.optimizerState))).toEqual(whole.optimizerState);
    // The resumed half actually moved.
    expect(second.params).not.toEqual(first.params);
  });
});
