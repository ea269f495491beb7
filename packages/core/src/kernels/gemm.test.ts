import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrix } from '../vector.js';
import { gemm, gemv, gemvT } from './gemm.js';

/** Oracle: the textbook triple loop on element accessors. */
function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
}
const transpose = (m: number[][]) => m[0]!.map((_, j) => m.map((row) => row[j]!));
const toMatrix = (m: number[][]) => matrix(Float64Array.from(m.flat()), m.length, m[0]!.length);
const gen = (rows: number, cols: number) =>
  fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: cols, maxLength: cols }), {
    minLength: rows,
    maxLength: rows,
  });

describe('gemm / gemv', () => {
  it('computes all four transpose forms like the textbook product', () => {
    const dims = fc.tuple(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
    );
    fc.assert(
      fc.property(
        dims.chain(([m, k, n]) => fc.tuple(gen(m, k), gen(k, n))),
        ([a, b]) => {
          const expected = naive(a, b).flat();
          const m = a.length;
          const n = b[0]!.length;
          for (const [ta, tb] of [
            [false, false],
            [true, false],
            [false, true],
            [true, true],
          ] as const) {
            const c = matrix(new Float64Array(m * n), m, n);
            gemm(toMatrix(ta ? transpose(a) : a), toMatrix(tb ? transpose(b) : b), c, {
              transposeA: ta,
              transposeB: tb,
            });
            expect(Array.from(c.data)).toEqual(expected);
          }
          const acc = matrix(Float64Array.from(expected), m, n);
          gemm(toMatrix(a), toMatrix(b), acc, { accumulate: true });
          expect(Array.from(acc.data)).toEqual(expected.map((v) => 2 * v));
        },
      ),
    );
  });

  it('gemv and gemvT match the product with a column vector', () => {
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const y = new Float64Array(2);
    gemv(toMatrix(a), Float64Array.of(1, 0, -1), y);
    expect(Array.from(y)).toEqual([-2, -2]);
    const z = new Float64Array(3);
    gemvT(toMatrix(a), Float64Array.of(1, -1), z);
    expect(Array.from(z)).toEqual([-3, -3, -3]);
    expect(() => gemv(toMatrix(a), new Float64Array(2), y)).toThrow(/gemv: x has length 2, A has 3 columns/);
  });

  it('rejects mismatched shapes', () => {
    const a = toMatrix([[1, 2]]);
    expect(() => gemm(a, a, matrix(new Float64Array(1), 1, 1))).toThrow(/inner dimensions differ/);
  });
});
