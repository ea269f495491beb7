import { describe, expect, it } from 'vitest';
import { fromArrays } from './from-arrays.js';
import { fromRows } from './from-rows.js';
import { fromTypedArrays } from './from-typed-arrays.js';

describe('fromArrays', () => {
  it('copies rows and columns into row-major matrices', () => {
    const ds = fromArrays({
      x: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      y: [7, 8, 9],
      dtype: 'float32',
    });
    expect(ds.x).toMatchObject({ rows: 3, cols: 2 });
    expect(ds.x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ds.y).toMatchObject({ rows: 3, cols: 1 });
    const column = fromArrays({
      x: [1, 2],
      y: [
        [3, 4],
        [5, 6],
      ],
    });
    expect(column.x).toMatchObject({ rows: 2, cols: 1 });
    expect(Array.from(column.y.data)).toEqual([3, 4, 5, 6]);
  });

  it('names the bad element', () => {
    expect(() =>
      fromArrays({
        x: [
          [1, 2],
          [3, Number.NaN],
        ],
        y: [1, 2],
      }),
    ).toThrow('fromArrays: x[1][1]: non-finite value NaN');
    expect(() => fromArrays({ x: [[1, 2], [3]], y: [1, 2] })).toThrow(
      'fromArrays: x[1] has 1 values, x[0] has 2',
    );
    expect(() => fromArrays({ x: [1, 2], y: [1] })).toThrow('fromArrays: x has 2 samples, y has 1');
    expect(() => fromArrays({ x: [1, 2], y: [1, '2' as unknown as number] })).toThrow(
      'fromArrays: y[1]: non-numeric value "2"',
    );
  });
});

describe('fromTypedArrays', () => {
  it('wraps the arrays without copying', () => {
    const x = new Float64Array([1, 2, 3, 4, 5, 6]);
    const y = new Float64Array([1, 0, 1]);
    const ds = fromTypedArrays({ x, y, features: 2 });
    expect(ds.x.data).toBe(x);
    expect(ds.x).toMatchObject({ rows: 3, cols: 2 });
  });

  it('names mismatched shapes and non-finite values', () => {
    const y = new Float64Array(2);
    expect(() => fromTypedArrays({ x: new Float64Array(5), y, features: 2 })).toThrow(
      /not a multiple of features = 2/,
    );
    expect(() => fromTypedArrays({ x: new Float64Array(4), y: new Float64Array(3), features: 2 })).toThrow(
      /y has 3 values, expected samples \* targets = 2 \* 1/,
    );
    expect(() => fromTypedArrays({ x: new Float64Array([1, 2, 3, Infinity]), y, features: 2 })).toThrow(
      'fromTypedArrays: x sample 1, column 1 is Infinity',
    );
    expect(() => fromTypedArrays({ x: new Float32Array(2), y: new Float64Array(2) as never })).toThrow(
      /Float32Array, y a Float64Array/,
    );
  });
});

describe('fromRows', () => {
  it('reads named fields, features defaulting to the non-target fields', () => {
    const ds = fromRows(
      [
        { size: 2104, rooms: 3, price: 399900 },
        { size: 1600, rooms: 3, price: 329900 },
      ],
      { targets: 'price' },
    );
    expect(ds.featureNames).toEqual(['size', 'rooms']);
    expect(Array.from(ds.x.data)).toEqual([2104, 3, 1600, 3]);
    expect(Array.from(ds.y.data)).toEqual([399900, 329900]);
  });

  it('names the row and field of a bad value', () => {
    expect(() =>
      fromRows(
        [
          { a: 1, y: 2 },
          { a: 'x', y: 3 },
        ],
        { targets: 'y' },
      ),
    ).toThrow('fromRows: rows[1].a: non-numeric value "x"');
    expect(() => fromRows([{ a: 1, y: 2 }, { y: 3 }], { targets: 'y' })).toThrow(
      'fromRows: rows[1].a: missing field',
    );
  });
});
