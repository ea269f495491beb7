import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';

describe('constant', () => {
  it('is the same value at every step and describes itself', () => {
    const s = constant(0.3);
    expect([0, 1, 1e6].map(s)).toEqual([0.3, 0.3, 0.3]);
    expect(s.description).toEqual({ name: 'constant', value: 0.3 });
  });

  it('rejects a non-finite value', () => {
    expect(() => constant(Number.NaN)).toThrow('constant: value must be a finite number, got NaN');
  });
});
