import { matrix } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { fitMinMaxScaler } from './fit-min-max-scaler.js';
import { fitStandardScaler } from './fit-standard-scaler.js';
import { fromArrays } from './from-arrays.js';
import { scaleSplits } from './scale-splits.js';

describe('fitStandardScaler', () => {
  it('maps each column to mean 0 and population std 1 (hand-computed statistics)', () => {
    // Column 0: 1, 2, 3, 4 -> mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
    // Column 1: constant 7 -> only centred.
    const m = matrix(new Float64Array([1, 7, 2, 7, 3, 7, 4, 7]), 4, 2);
    const s = fitStandardScaler(m);
    expect(Array.from(s.center)).toEqual([2.5, 7]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(s.scale[1]).toBe(1);
    const z = s.transform(m);
    const r = Math.sqrt(1.25);
    const expected = [-1.5 / r, 0, -0.5 / r, 0, 0.5 / r, 0, 1.5 / r, 0];
    for (let i = 0; i < 8; i++) expect(z.data[i]).toBeCloseTo(expected[i]!, 14);
    const back = s.inverseTransform(z);
    for (let i = 0; i < 8; i++) expect(back.data[i]).toBeCloseTo(m.data[i]!, 14);
  });
});

describe('fitMinMaxScaler', () => {
  it('maps the fitted min and max to the range ends', () => {
    const m = matrix(new Float32Array([-2, 10, 0, 10, 6, 10]), 3, 2);
    const s = fitMinMaxScaler(m, { range: [-1, 1] });
    const out = s.transform(m);
    expect(out.data).toBeInstanceOf(Float32Array);
    // (x - (-2)) / 8 * 2 - 1: -2 -> -1, 0 -> -0.5, 6 -> 1; the constant column maps to -1.
    expect(Array.from(out.data)).toEqual([-1, -1, -0.5, -1, 1, -1]);
    expect(() => fitMinMaxScaler(m, { range: [1, 1] })).toThrow(/range must be finite with low < high/);
    expect(() => s.transform(matrix(new Float64Array(3), 1, 3))).toThrow(/fitted on 2 columns, got 3/);
  });
});

describe('scaleSplits', () => {
  it('fits on the training part only and applies the same map to the others', () => {
    const train = fromArrays({ x: [0, 10], y: [1, 3] });
    const validation = fromArrays({ x: [20], y: [5] });
    const test = fromArrays({ x: [-10], y: [0] });
    const scaled = scaleSplits({ train, validation, test }, { method: 'min-max', targets: true });
    // Fitted on train x in [0, 10]: validation's 20 maps to 2 and test's -10 to -1, outside [0, 1].
    expect(Array.from(scaled.train.x.data)).toEqual([0, 1]);
    expect(Array.from(scaled.validation.x.data)).toEqual([2]);
    expect(Array.from(scaled.test.x.data)).toEqual([-1]);
    // Targets fitted on train y in [1, 3].
    expect(Array.from(scaled.validation.y.data)).toEqual([2]);
    expect(scaled.yScaler?.describe()).toMatchObject({ name: 'min-max-scaler', center: [1], scale: [2] });
    // The inputs are untouched.
    expect(Array.from(train.x.data)).toEqual([0, 10]);
  });

  it('standardises with training statistics and leaves targets alone by default', () => {
    const train = fromArrays({ x: [1, 3], y: [1, 2] });
    const validation = fromArrays({ x: [5], y: [9] });
    const scaled = scaleSplits({ train, validation }, { method: 'standard' });
    // mean 2, std 1: 5 -> 3.
    expect(Array.from(scaled.validation.x.data)).toEqual([3]);
    expect(scaled.validation.y).toBe(validation.y);
    expect(scaled.yScaler).toBeUndefined();
  });
});
