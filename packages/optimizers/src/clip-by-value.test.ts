import { describe, expect, it } from 'vitest';
import { clipByValue } from './clip-by-value.js';
import { testContext } from './test-context.js';

describe('clipByValue', () => {
  it('clamps every coordinate into [-c, c]', () => {
    const t = clipByValue(0.5);
    const u = Float64Array.from([2, -3, 0.25, -0.5]);
    t.update(u, t.init(u), u, testContext());
    expect(Array.from(u)).toEqual([0.5, -0.5, 0.25, -0.5]);
  });
});
