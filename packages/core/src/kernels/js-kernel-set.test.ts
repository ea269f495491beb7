import { describe, expect, it } from 'vitest';
import { jsKernelSet } from './js-kernel-set.js';
import { gemmCall } from './kernel-set.js';

// The full oracle suite that every kernel set passes lives in @downhill/models (kernel-set.test.ts),
// beside the WebAssembly set; these check the JavaScript set's own contract.
describe('jsKernelSet', () => {
  it('multiplies by a hand-computed product in all four transpose forms', () => {
    const set = jsKernelSet('float64');
    // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]: AB, A^T B, A B^T, A^T B^T.
    const want = {
      nn: [19, 22, 43, 50],
      tn: [26, 30, 38, 44],
      nt: [17, 23, 39, 53],
      tt: [23, 31, 34, 46],
    };
    for (const [form, expected] of Object.entries(want)) {
      const call = gemmCall(new Float64Array(0));
      Object.assign(call, {
        m: 2,
        n: 2,
        k: 2,
        a: Float64Array.of(1, 2, 3, 4),
        lda: 2,
        transA: form[0] === 't',
        b: Float64Array.of(5, 6, 7, 8),
        ldb: 2,
        transB: form[1] === 't',
        c: Float64Array.of(100, 100, 100, 100),
        ldc: 2,
      });
      set.gemm(call);
      expect(Array.from(call.c)).toEqual(expected);
      call.accumulate = true;
      set.gemm(call);
      expect(Array.from(call.c)).toEqual(expected.map((v) => 2 * v));
    }
  });

  it('hands out aligned, disjoint arena arrays and refuses what does not fit', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const arena = jsKernelSet(dtype).arena(20);
      const a = arena.take(3);
      const b = arena.take(5);
      expect(a).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
      expect(b.byteOffset % 16).toBe(0);
      expect(a.buffer).toBe(b.buffer);
      b.fill(1);
      expect(Array.from(a)).toEqual([0, 0, 0]);
      expect(() => arena.take(arena.available + 1)).toThrow(/elements do not fit/);
    }
    expect(() => jsKernelSet('float16' as 'float32')).toThrow(
      /dtype must be 'float32' or 'float64', got float16/,
    );
  });
});
