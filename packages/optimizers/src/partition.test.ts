import { deserializeState, type Optimizer, serializeState } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import {
  adabelief,
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  asgd,
  lamb,
  lion,
  nadam,
  radam,
  rmsprop,
  rprop,
  scheduleFreeAdamw,
  sgd,
  yogi,
} from './index.js';
import type { LayoutBlock } from './parameter-layout.js';
import { partition } from './partition.js';
import { testContext } from './test-context.js';

// A 2-3-1 network's layout: weights and biases interleaved, as the models lay them out.
const layout: LayoutBlock[] = [
  { name: 'layer1.weights', offset: 0, rows: 3, cols: 2, kind: 'weight' },
  { name: 'layer1.bias', offset: 6, rows: 1, cols: 3, kind: 'bias' },
  { name: 'layer2.weights', offset: 9, rows: 1, cols: 3, kind: 'weight' },
  { name: 'layer2.bias', offset: 12, rows: 1, cols: 1, kind: 'bias' },
];
const N = 13;
const isBias = (i: number) => (i >= 6 && i < 9) || i === 12;

/** Parameters after `steps` updates of `optimizer` on a fixed, step-dependent gradient field. */
function run(optimizer: Optimizer, steps = 6): Float64Array {
  const params = Float64Array.from({ length: N }, (_, i) => Math.sin(i + 1));
  const state = optimizer.init(params);
  for (let t = 0; t < steps; t++) {
    const updates = Float64Array.from({ length: N }, (_, i) => Math.cos(3 * i + t) + 0.5 * params[i]!);
    optimizer.update(updates, state, params, testContext(t));
    for (let i = 0; i < N; i++) params[i]! += updates[i]!;
  }
  return params;
}

describe('partition', () => {
  it('no weight decay on biases changes exactly the bias updates', () => {
    const decayed = run(adamw({ learningRate: 0.01, weightDecay: 0.1 }));
    const plain = run(adamw({ learningRate: 0.01, weightDecay: 0 }));
    const grouped = run(
      partition({
        layout,
        groups: {
          weight: adamw({ learningRate: 0.01, weightDecay: 0.1 }),
          bias: adamw({ learningRate: 0.01, weightDecay: 0 }),
        },
      }),
    );
    for (let i = 0; i < N; i++) expect(grouped[i]).toBe(isBias(i) ? plain[i] : decayed[i]);
    // The decay did change the weights: the check above is not vacuous.
    expect(decayed.filter((v, i) => !isBias(i) && v !== plain[i])).not.toHaveLength(0);
  });

  // Optimizers whose update of a coordinate depends on that coordinate alone: split into any
  // groups, they make exactly the updates they make on the whole vector.
  const elementwise: Record<string, () => Optimizer> = {
    'sgd momentum nesterov': () => sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }),
    adagrad: () => adagrad({ learningRate: 0.1 }),
    rmsprop: () => rmsprop({ centered: true, momentum: 0.9 }),
    adadelta: () => adadelta(),
    adam: () => adam({ learningRate: 0.01 }),
    amsgrad: () => amsgrad(),
    adamax: () => adamax(),
    nadam: () => nadam(),
    radam: () => radam(),
    lion: () => lion(),
    rprop: () => rprop(),
    asgd: () => asgd({ t0: 2 }),
    adabelief: () => adabelief(),
    yogi: () => yogi(),
    'schedule-free adamw': () => scheduleFreeAdamw(),
  };
  it.each(Object.keys(elementwise))(
    '%s in two groups makes the updates it makes on the whole vector',
    (name) => {
      const make = elementwise[name]!;
      const whole = run(make());
      const grouped = run(partition({ layout, groups: { weight: make(), bias: make() } }));
      expect(Array.from(grouped)).toEqual(Array.from(whole));
    },
  );

  it('runs a layer-wise optimizer on its group, and keeps one plain state per group', () => {
    const optimizer = partition({ layout, groups: { weight: lamb({ learningRate: 0.01 }), bias: adam() } });
    expect(optimizer.settable).toEqual(expect.arrayContaining(['learningRate', 'weightDecay']));
    expect(optimizer.describe()).toMatchObject({
      name: 'partition',
      groups: { weight: { name: 'lamb' }, bias: { name: 'adam' } },
    });
    const params = new Float64Array(N).fill(0.5);
    const state = optimizer.init(params);
    expect(Object.keys(state)).toEqual(['weight', 'bias']);
    const updates = new Float64Array(N).fill(1);
    optimizer.update(updates, state, params, testContext(0));
    expect(Array.from(updates).every(Number.isFinite)).toBe(true);
    const saved = serializeState(state);
    expect(serializeState(deserializeState(JSON.parse(JSON.stringify(saved))))).toEqual(saved);
  });

  it('a live set reaches every group that has the hyperparameter', () => {
    const grouped = partition({
      layout,
      groups: { weight: sgd({ learningRate: 0.1 }), bias: sgd({ learningRate: 0.2 }) },
    });
    const params = new Float64Array(N);
    const state = grouped.init(params);
    const updates = new Float64Array(N).fill(1);
    grouped.update(updates, state, params, testContext(0, { learningRate: 0.5 }));
    expect(Array.from(updates)).toEqual(new Array(N).fill(-0.5));
  });

  it('names the block, the label or the gap that cannot be grouped', () => {
    expect(() => partition({ layout, groups: { weight: adam() } })).toThrow(
      /block layer1.bias is labelled "bias", which has no optimizer in groups \("weight"\)/,
    );
    const gappy: LayoutBlock[] = [
      { name: 'w', offset: 0, rows: 1, cols: 2, kind: 'weight' },
      { name: 'b', offset: 3, rows: 1, cols: 1, kind: 'bias' },
    ];
    expect(() => partition({ layout: gappy, groups: { weight: adam(), bias: adam() } })).toThrow(
      /parameters 2 to 2 are in no block of the layout/,
    );
    expect(() => partition({ layout, groups: {} })).toThrow(/at least one optimizer/);
    const grouped = partition({ layout, groups: { weight: adam(), bias: adam() } });
    expect(() => grouped.init(new Float64Array(5))).toThrow(/the layout covers 13 parameters, the run has 5/);
  });
});
