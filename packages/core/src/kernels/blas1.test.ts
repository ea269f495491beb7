import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allFinite, axpy, dot, norm1, norm2, normInf, scale, sumOfSquares } from './blas1.js';

// Oracle: plain reduce over arrays, one operation at a time.
const arrays = fc
  .integer({ min: 0, max: 37 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
    ),
  );

describe('level-1 kernels', () => {
  it('agree with plain reductions for every length (unrolled loops and their tails)', () => {
    fc.assert(
      fc.property(arrays, ([a, b]) => {
        const x = Float64Array.from(a);
        const y = Float64Array.from(b);
        const tol = 1e-9 * (1 + a.reduce((s, v, i) => s + Math.abs(v * b[i]!), 0));
        expect(Math.abs(dot(x, y) - a.reduce((s, v, i) => s + v * b[i]!, 0))).toBeLessThanOrEqual(tol);
        expect(Math.abs(sumOfSquares(x) - a.reduce((s, v) => s + v * v, 0))).toBeLessThanOrEqual(
          1e-9 * (1 + sumOfSquares(x)),
        );
        expect(norm2(x)).toBeCloseTo(Math.sqrt(a.reduce((s, v) => s + v * v, 0)), 6);
        expect(norm1(x)).toBeCloseTo(
          a.reduce((s, v) => s + Math.abs(v), 0),
          6,
        );
        expect(normInf(x)).toBe(a.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
        const z = y.slice();
        axpy(0.5, x, z);
        expect(Array.from(z)).toEqual(b.map((v, i) => v + 0.5 * a[i]!));
        scale(3, z);
        expect(Array.from(z)).toEqual(b.map((v, i) => (v + 0.5 * a[i]!) * 3));
      }),
    );
  });

  it('norm2 does not overflow for huge entries', () => {
    expect(norm2(Float64Array.of(3e200, 4e200))).toBeCloseTo(5e200, -188);
    expect(norm2(new Float64Array(3))).toBe(0);
  });

  it('detects non-finite entries', () => {
    expect(allFinite(Float64Array.of(1, 2, 3))).toBe(true);
    expect(allFinite(Float64Array.of(1, Number.NaN))).toBe(false);
    expect(allFinite(Float32Array.of(Number.NEGATIVE_INFINITY))).toBe(false);
    expect(normInf(Float64Array.of(1, Number.NaN, 5))).toBeNaN();
  });

  it('rejects mismatched lengths', () => {
    expect(() => dot(new Float64Array(2), new Float64Array(3))).toThrow(/dot: length mismatch \(2 vs 3\)/);
  });
});
