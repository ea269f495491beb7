import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm } from './clip-by-global-norm.js';
import { testContext } from './test-context.js';

describe('clipByGlobalNorm', () => {
  it('rescales to the maximum norm when above it (3-4-5 triangle), keeping the direction', () => {
    const t = clipByGlobalNorm(1);
    const u = Float64Array.from([3, 4]);
    t.update(u, t.init(u), u, testContext());
    expect(u[0]).toBeCloseTo(0.6, 15);
    expect(u[1]).toBeCloseTo(0.8, 15);
  });

  it('leaves an update within the norm alone', () => {
    const t = clipByGlobalNorm(10);
    const u = Float64Array.from([3, 4]);
    t.update(u, t.init(u), u, testContext());
    expect(Array.from(u)).toEqual([3, 4]);
  });
});
