import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { skipNonFinite } from './skip-non-finite.js';
import { testContext } from './test-context.js';

describe('skipNonFinite', () => {
  it('zeroes a non-finite gradient, leaves the inner state alone and counts the skip', () => {
    const opt = skipNonFinite(adam({ learningRate: 0.1 }));
    const params = Float64Array.from([1, 1]);
    const state = opt.init(params);
    const u = Float64Array.from([Number.NaN, 1]);
    opt.update(u, state, params, testContext());
    expect(Array.from(u)).toEqual([0, 0]);
    expect(state).toMatchObject({ skipped: 1, consecutive: 1 });
    const inner = state.inner as [unknown, { count: number }];
    expect(inner[1].count).toBe(0);
    const v = Float64Array.from([2, 2]);
    opt.update(v, state, params, testContext(1));
    expect(v[0]).toBeCloseTo(-0.1, 8);
    expect(state).toMatchObject({ skipped: 1, consecutive: 0 });
  });

  it('lets the update through after maxConsecutive skips', () => {
    const opt = skipNonFinite(adam(), { maxConsecutive: 1 });
    const state = opt.init(new Float64Array(1));
    const a = Float64Array.from([Number.POSITIVE_INFINITY]);
    opt.update(a, state, new Float64Array(1), testContext());
    expect(a[0]).toBe(0);
    const b = Float64Array.from([Number.POSITIVE_INFINITY]);
    opt.update(b, state, new Float64Array(1), testContext(1));
    expect(Number.isFinite(b[0]!)).toBe(false);
  });
});
