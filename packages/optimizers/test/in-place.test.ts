// State is plain data updated in place: after some steps, every typed array of the state is still
// the same object (no buffer replaced per step), and the state serializes exactly.
import { deserializeState, type Optimizer, serializeState } from '@downhill/core';
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
  parameterEma,
  prodigy,
  radam,
  rmsprop,
  rprop,
  scheduleFreeAdamw,
  scheduleFreeSgd,
  sgd,
  stochasticWeightAveraging,
  yogi,
} from '../src/index.js';
import { rosenbrock, runSteps } from './objectives.js';

function typedArrays(value: unknown, out: Float64Array[] = []): Float64Array[] {
  if (value instanceof Float64Array) out.push(value);
  else if (Array.isArray(value)) for (const v of value) typedArrays(v, out);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) typedArrays(v, out);
  return out;
}

const optimizers: Record<string, () => Optimizer> = {
  'sgd momentum': () => sgd({ momentum: 0.9 }),
  adagrad: () => adagrad(),
  rmsprop: () => rmsprop({ centered: true, momentum: 0.9 }),
  adadelta: () => adadelta(),
  adam: () => adam(),
  adamw: () => adamw(),
  amsgrad: () => amsgrad(),
  adamax: () => adamax(),
  nadam: () => nadam(),
  radam: () => radam(),
  lion: () => lion(),
  rprop: () => rprop(),
  lookahead: () => lookahead(adam(), { k: 2 }),
  swa: () => stochasticWeightAveraging(adam(), { start: 1 }),
  ema: () => parameterEma(adam()),
  asgd: () => asgd({ t0: 1 }),
  adabelief: () => adabelief(),
  yogi: () => yogi(),
  lamb: () => lamb(),
  lars: () => lars(),
  adafactor: () => adafactor({ layout: [{ name: 'w', offset: 0, rows: 1, cols: 2 }] }),
  scheduleFreeSgd: () => scheduleFreeSgd(),
  scheduleFreeAdamw: () => scheduleFreeAdamw(),
  prodigy: () => prodigy(),
};

describe('state is updated in place and is plain', () => {
  it.each(Object.keys(optimizers))('%s', (name) => {
    const optimizer = optimizers[name]!();
    const params = Float64Array.from([-1.2, 1]);
    const state = optimizer.init(params);
    // One step first: SGD's momentum buffer is allocated on first use, as PyTorch's.
    const step = (t: number) => {
      const grad = new Float64Array(2);
      rosenbrock.loss(params, undefined, grad);
      optimizer.update(grad, state, params, { step: t, loss: 0, overrides: {}, current: {} });
      for (let i = 0; i < 2; i++) params[i]! += grad[i]!;
    };
    step(0);
    const before = typedArrays(state);
    expect(before.length).toBeGreaterThan(0);
    for (let t = 1; t < 5; t++) step(t);
    const after = typedArrays(state);
    expect(after).toHaveLength(before.length);
    for (let i = 0; i < after.length; i++) expect(after[i]).toBe(before[i]);
    expect(serializeState(deserializeState(JSON.parse(JSON.stringify(serializeState(state)))))).toEqual(
      serializeState(state),
    );
    expect(runSteps(optimizers[name]!(), rosenbrock, [-1.2, 1], 3).flat().every(Number.isFinite)).toBe(true);
  });
});
