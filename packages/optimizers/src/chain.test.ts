import { describe, expect, it } from 'vitest';
import { chain, named } from './chain.js';
import { clipByValue } from './clip-by-value.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { testContext } from './test-context.js';
import { trace } from './trace.js';

describe('chain', () => {
  it('applies transforms left to right', () => {
    // clip to [-1, 1] then scale by -0.5: g = [3, -0.2] -> [1, -0.2] -> [-0.5, 0.1].
    const c = chain(clipByValue(1), scaleByLearningRate(0.5));
    const u = Float64Array.from([3, -0.2]);
    c.update(u, c.init(u), new Float64Array(2), testContext());
    expect(Array.from(u)).toEqual([-0.5, 0.1]);
    // the other order scales first: [-1.5, 0.1] -> [-1, 0.1].
    const d = chain(scaleByLearningRate(0.5), clipByValue(1));
    const v = Float64Array.from([3, -0.2]);
    d.update(v, d.init(v), new Float64Array(2), testContext());
    expect(Array.from(v)).toEqual([-1, 0.1]);
  });

  it('keeps one state per transform and unions their settable names', () => {
    const c = chain(trace({ momentum: 0.9 }), scaleByLearningRate(0.1));
    const state = c.init(new Float64Array(3));
    expect(state).toHaveLength(2);
    expect(c.settable).toEqual(['momentum', 'learningRate']);
  });

  it('describes itself as plain, JSON-safe data; named() renames it', () => {
    const c = named(
      'mine',
      { learningRate: (t: number) => t, momentum: 0.9 },
      chain(trace(), scaleByLearningRate(1)),
    );
    expect(JSON.parse(JSON.stringify(c.describe()))).toEqual({
      name: 'mine',
      learningRate: 'schedule',
      momentum: 0.9,
    });
    expect(c.name).toBe('mine');
    expect(chain(trace()).describe()).toEqual({
      name: 'chain',
      transforms: [{ name: 'trace', momentum: 0.9, dampening: 0, nesterov: false }],
    });
  });

  it('accepts bare transforms without metadata', () => {
    const double = {
      init: () => null,
      update: (u: Float64Array) => {
        for (let i = 0; i < u.length; i++) u[i] = 2 * u[i]!;
      },
    };
    const c = chain(double, scaleByLearningRate(1));
    const u = Float64Array.from([1]);
    c.update(u, c.init(u), u, testContext());
    expect(u[0]).toBe(-2);
    expect(c.describe()).toEqual({
      name: 'chain',
      transforms: [{ name: 'transform' }, { name: 'scaleByLearningRate', learningRate: 1 }],
    });
  });
});
