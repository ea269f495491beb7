import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { fromTypedArrays } from './from-typed-arrays.js';
import { kFold } from './k-fold.js';
import { splitDataset } from './split-dataset.js';

function indexed(n: number): Dataset {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i;
    y[i] = 2 * i;
  }
  return fromTypedArrays({ x, y });
}

const ids = (d: Dataset): number[] => {
  for (let r = 0; r < d.x.rows; r++) expect(d.y.data[r]).toBe(2 * d.x.data[r]!);
  return Array.from(d.x.data);
};

describe('splitDataset', () => {
  it('puts every sample in exactly one part, with the requested sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 400 }),
        fc.double({ min: 0, max: 0.45, noNaN: true }),
        fc.double({ min: 0, max: 0.45, noNaN: true }),
        fc.integer(),
        (n, validation, test, seed) => {
          // Rounding can leave no training sample for tiny sets: that is refused (tested below).
          fc.pre(Math.round(validation * n) + Math.round(test * n) < n);
          const parts = splitDataset(indexed(n), { validation, test, seed });
          expect(parts.validation.x.rows).toBe(Math.round(validation * n));
          expect(parts.test.x.rows).toBe(Math.round(test * n));
          const all = [...ids(parts.train), ...ids(parts.validation), ...ids(parts.test)];
          expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
    );
  });

  it('refuses fractions that leave no training sample, naming them', () => {
    expect(() => splitDataset(indexed(4), { validation: 0.375, test: 0.375 })).toThrow(
      /validation 0.375 and test 0.375 of 4 samples leave no training sample/,
    );
  });

  it('is seeded: same seed same split, another seed another split; shuffle false keeps the order', () => {
    const data = indexed(100);
    const a = splitDataset(data, { validation: 0.2, seed: 1 });
    expect(ids(splitDataset(data, { validation: 0.2, seed: 1 }).validation)).toEqual(ids(a.validation));
    expect(ids(splitDataset(data, { validation: 0.2, seed: 2 }).validation)).not.toEqual(ids(a.validation));
    const ordered = splitDataset(data, { validation: 0.2, test: 0.1, shuffle: false });
    expect(ids(ordered.train)).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(ids(ordered.test)).toEqual(Array.from({ length: 10 }, (_, i) => 90 + i));
  });

  it('rejects fractions outside [0, 1) and splits that leave no training data', () => {
    expect(() => splitDataset(indexed(10), { validation: 1 })).toThrow(
      /validation must be a fraction in \[0, 1\), got 1/,
    );
    expect(() => splitDataset(indexed(10), { test: -0.1 })).toThrow(/test must be a fraction/);
    expect(() => splitDataset(indexed(10), { validation: 0.5, test: 0.5 })).toThrow(
      /leave no training sample/,
    );
  });
});

describe('kFold', () => {
  it('validates on every sample exactly once, trains on the rest, fold sizes differ by at most one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer(),
        (n, k, seed) => {
          fc.pre(k <= n);
          const folds = kFold(indexed(n), { k, seed });
          expect(folds).toHaveLength(k);
          const validated = folds.flatMap((f) => ids(f.validation));
          expect(validated.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          const sizes = folds.map((f) => f.validation.x.rows);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (const f of folds) {
            const train = new Set(ids(f.train));
            expect(train.size + f.validation.x.rows).toBe(n);
            for (const v of ids(f.validation)) expect(train.has(v)).toBe(false);
          }
        },
      ),
    );
  });

  it('rejects k outside [2, samples]', () => {
    expect(() => kFold(indexed(5), { k: 1 })).toThrow(
      'kFold: k must be an integer in [2, 5] for 5 samples, got 1',
    );
    expect(() => kFold(indexed(5), { k: 6 })).toThrow(/got 6/);
  });
});
