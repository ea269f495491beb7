import { createRng } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../tensor.js';
import { checkGradients } from '../test-grad-check.js';
import { conv2d } from './conv2d.js';
import { dropout } from './dropout.js';
import { layerNorm } from './layer-norm.js';
import { avgPool2d, maxPool2d } from './pool2d.js';

/** Direct definition of PyTorch's conv2d (cross-correlation, zero padding): the forward oracle. */
function naiveConv(
  x: Tensor,
  w: Tensor,
  b: Tensor | undefined,
  s: number[],
  p: number[],
  d: number[],
): number[] {
  const [n, c, h, wd] = x.shape as number[] as [number, number, number, number];
  const [o, , kh, kw] = w.shape as number[] as [number, number, number, number];
  const oh = Math.floor((h + 2 * p[0]! - d[0]! * (kh - 1) - 1) / s[0]!) + 1;
  const ow = Math.floor((wd + 2 * p[1]! - d[1]! * (kw - 1) - 1) / s[1]!) + 1;
  const out: number[] = [];
  for (let bi = 0; bi < n; bi++)
    for (let oc = 0; oc < o; oc++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = b === undefined ? 0 : b.data[oc]!;
          for (let ch = 0; ch < c; ch++)
            for (let u = 0; u < kh; u++)
              for (let v = 0; v < kw; v++) {
                const r = i * s[0]! - p[0]! + u * d[0]!;
                const q = j * s[1]! - p[1]! + v * d[1]!;
                if (r >= 0 && r < h && q >= 0 && q < wd)
                  acc +=
                    x.data[((bi * c + ch) * h + r) * wd + q]! * w.data[((oc * c + ch) * kh + u) * kw + v]!;
              }
          out.push(acc);
        }
  return out;
}

const random = (shape: number[], seed: number) => {
  const rng = createRng(seed);
  return tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)),
    { shape },
  );
};

describe('conv2d', () => {
  const cases = [
    { x: [2, 3, 5, 6], w: [4, 3, 3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1] },
    { x: [1, 2, 7, 7], w: [3, 2, 3, 2], stride: [2, 1], padding: [1, 2], dilation: [1, 1] },
    { x: [2, 1, 8, 7], w: [2, 1, 3, 3], stride: [1, 2], padding: [2, 1], dilation: [2, 2] },
  ];
  it('matches the direct definition for stride, padding and dilation', () => {
    for (const [k, cse] of cases.entries()) {
      const x = random(cse.x, k);
      const w = random(cse.w, 10 + k);
      const b = random([cse.w[0]!], 20 + k);
      const y = conv2d(x, w, {
        bias: b,
        stride: cse.stride as [number, number],
        padding: cse.padding as [number, number],
        dilation: cse.dilation as [number, number],
      });
      const expected = naiveConv(x, w, b, cse.stride, cse.padding, cse.dilation);
      expect(y.size).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) expect(y.data[i]).toBeCloseTo(expected[i]!, 12);
    }
  });
  it('gradients of input, weight and bias match finite differences', () => {
    for (const cse of cases) {
      const options = {
        stride: cse.stride as [number, number],
        padding: cse.padding as [number, number],
        dilation: cse.dilation as [number, number],
      };
      checkGradients(
        (x, w, b) => conv2d(x!, w!, { ...options, bias: b! }),
        [{ shape: cse.x }, { shape: cse.w }, { shape: [cse.w[0]!] }],
      );
    }
  });
  it('names shapes that do not fit', () => {
    expect(() => conv2d(random([1, 2, 4, 4], 1), random([3, 1, 3, 3], 2))).toThrow(
      /conv2d: input \[1, 2, 4, 4\] must be \[n, c, h, w\]/,
    );
    expect(() => conv2d(random([1, 1, 2, 2], 1), random([1, 1, 3, 3], 2))).toThrow(
      /conv2d: the kernel does not fit/,
    );
  });
});

describe('pooling', () => {
  it('max and average pooling match the definition (padding -inf for max, zeros counted for average)', () => {
    const x = tensor(
      Array.from({ length: 16 }, (_, i) => i * (i % 3 === 0 ? -1 : 1)),
      { shape: [1, 1, 4, 4] },
    );
    expect(maxPool2d(x, { kernel: 2 }).toArray()).toEqual([
      [
        [
          [5, 7],
          [13, 14],
        ],
      ],
    ]);
    expect(avgPool2d(x, { kernel: 2 }).toArray()).toEqual([
      [
        [
          [(0 + 1 + 4 + 5) / 4, (2 - 3 + -6 + 7) / 4],
          [(8 - 9 + -12 + 13) / 4, (10 + 11 + 14 - 15) / 4],
        ],
      ],
    ]);
    // 3x3 windows with stride 2 and padding 1: the corner window sees x[0..1, 0..1] and 5 padded cells.
    const m = maxPool2d(x, { kernel: 3, stride: 2, padding: 1 }).toArray() as number[][][][];
    expect(m[0]![0]![0]![0]).toBe(5);
    const a = avgPool2d(x, { kernel: 3, stride: 2, padding: 1 }).toArray() as number[][][][];
    expect(a[0]![0]![0]![0]).toBeCloseTo((0 + 1 + 4 + 5) / 9, 15);
  });
  it('gradients match finite differences', () => {
    for (const options of [
      { kernel: 2 },
      { kernel: 3, stride: 2, padding: 1 },
      { kernel: [2, 3] as const, stride: 1 },
    ]) {
      checkGradients((x) => maxPool2d(x!, options), [{ shape: [2, 2, 5, 6] }]);
      checkGradients((x) => avgPool2d(x!, options), [{ shape: [2, 2, 5, 6] }]);
    }
  });
});

describe('layerNorm and dropout', () => {
  it('layerNorm normalizes the last axis (biased variance, eps 1e-5) and its gradients match finite differences', () => {
    const y = layerNorm(tensor([1, 2, 3, 4, 6, 8], { shape: [2, 3] })).toArray() as number[][];
    const v = 2 / 3;
    expect(y[0]![0]).toBeCloseTo(-1 / Math.sqrt(v + 1e-5), 12);
    expect(y[1]![2]).toBeCloseTo(2 / Math.sqrt(4 * v + 1e-5), 12);
    checkGradients(
      (x, w, b) => layerNorm(x!, { weight: w!, bias: b! }),
      [{ shape: [3, 4] }, { shape: [4] }, { shape: [4] }],
    );
  });
  it('dropout zeroes with the given rate from the seeded RNG, scales the rest and reuses the mask backward', () => {
    const ones = tensor(new Float64Array(10_000).fill(1));
    const a = dropout(ones, { rate: 0.3, rng: createRng(9) });
    const b = dropout(ones, { rate: 0.3, rng: createRng(9) });
    expect([...a.data]).toEqual([...b.data]);
    const zeros = a.data.filter((v) => v === 0).length;
    expect(zeros / 10_000).toBeGreaterThan(0.27);
    expect(zeros / 10_000).toBeLessThan(0.33);
    expect(a.data.find((v) => v !== 0)).toBeCloseTo(1 / 0.7, 15);
    checkGradients((x) => dropout(x!, { rate: 0.5, rng: createRng(4) }), [{ shape: [20] }]);
    expect(() => dropout(ones, { rate: 1, rng: createRng(1) })).toThrow(/dropout: rate must be in \[0, 1\)/);
  });
});
