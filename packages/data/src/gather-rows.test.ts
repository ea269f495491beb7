import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsOf, gatherRows64, gatherRowsBits32 } from './gather-rows.js';

describe('gatherRows', () => {
  it('copies the ordered rows exactly, for any shape (oracle: row-by-row slice copies)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer(),
        (rows, cols, count, seed) => {
          const order = Uint32Array.from({ length: count }, (_, i) => Math.abs((seed + i * 7919) % rows));
          const src64 = Float64Array.from({ length: rows * cols }, (_, i) => i + 0.5);
          const dst64 = new Float64Array(count * cols);
          gatherRows64(src64, dst64, cols, order, 0, count);
          const expected =
            order.length === 0
              ? []
              : Array.from(order).flatMap((s) => Array.from(src64.slice(s * cols, (s + 1) * cols)));
          expect(Array.from(dst64)).toEqual(expected);
          const src32 = Float32Array.from(src64);
          const dst32 = new Float32Array(count * cols);
          gatherRowsBits32(bitsOf(src32), bitsOf(dst32), cols, order, 0, count);
          expect(Array.from(dst32)).toEqual(expected);
        },
      ),
    );
  });

  it('moves float32 bit patterns unchanged, NaN payloads included', () => {
    const bits = new Int32Array([0x7fa00001, 0xffc00123 | 0, 0x00000001, 0x80000000 | 0]);
    const src = new Float32Array(bits.buffer);
    const dst = new Float32Array(4);
    gatherRowsBits32(bitsOf(src), bitsOf(dst), 2, Uint32Array.of(1, 0), 0, 2);
    expect(Array.from(bitsOf(dst))).toEqual([bits[2], bits[3], bits[0], bits[1]]);
  });
});
