import { matrix } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { rootMeanSquaredError, rSquared } from './regression-metrics.js';

describe('metrics', () => {
  it('accuracy: binary threshold, argmax against index or one-hot targets', () => {
    expect(accuracy([0.9, 0.4, 0.5], 1, matrix(new Float64Array([1, 1, 0]), 3, 1))).toBeCloseTo(1 / 3, 15);
    const probs = [0.1, 0.7, 0.2, 0.5, 0.3, 0.2];
    expect(accuracy(probs, 3, matrix(new Float64Array([1, 2]), 2, 1))).toBe(0.5);
    expect(accuracy(probs, 3, matrix(new Float64Array([0, 1, 0, 1, 0, 0]), 2, 3))).toBe(1);
  });
  it('RMSE and R^2 by hand: y = [1, 2, 3], p = [1, 2, 4]', () => {
    const y = matrix(new Float64Array([1, 2, 3]), 3, 1);
    // SS_res = 1, SS_tot = 2: R^2 = 0.5; RMSE = sqrt(1/3).
    expect(rSquared([1, 2, 4], y)).toBe(0.5);
    expect(rootMeanSquaredError([1, 2, 4], y)).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(rSquared([2, 2, 2], y)).toBe(0);
    expect(rSquared([1, 1], matrix(new Float64Array([5, 5]), 2, 1))).toBeNaN();
  });
});
