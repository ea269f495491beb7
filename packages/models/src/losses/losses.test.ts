import { matrix } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyFromLogits, sigmoid, softplus } from './binary-cross-entropy.js';
import { hingeLoss } from './hinge.js';
import { huberLoss } from './huber.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import { halfMeanSquaredError, meanSquaredError } from './mean-squared-error.js';
import { l1Penalty, l2Penalty } from './penalty.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

// Hand-derived values: predictions p = [1, -2, 0.5, 3], targets y = [0, -1, 0.5, 1] (2 rows x 2 outputs)
// residuals r = [1, -1, 0, 2].
const p = new Float64Array([1, -2, 0.5, 3]);
const y = matrix(new Float64Array([0, -1, 0.5, 1]), 2, 2);

describe('regression losses', () => {
  it('mse: (1 + 1 + 0 + 4) / 4 = 1.5, gradient 2 r / 4', () => {
    const g = new Float64Array(4);
    expect(meanSquaredError.evaluate(p, 2, y, g)).toBe(1.5);
    expect([...g]).toEqual([0.5, -0.5, 0, 1]);
  });
  it('half mse: 1.5 / 2 = 0.75, gradient r / 4', () => {
    const g = new Float64Array(4);
    expect(halfMeanSquaredError.evaluate(p, 2, y, g)).toBe(0.75);
    expect([...g]).toEqual([0.25, -0.25, 0, 0.5]);
  });
  it('mae: (1 + 1 + 0 + 2) / 4 = 1, gradient sign(r) / 4 with 0 at r = 0', () => {
    const g = new Float64Array(4);
    expect(meanAbsoluteError.evaluate(p, 2, y, g)).toBe(1);
    expect([...g]).toEqual([0.25, -0.25, 0, 0.25]);
  });
  it('huber delta 1: [0.5, 0.5, 0, 1 * (2 - 0.5)] / 4 = 0.625', () => {
    const g = new Float64Array(4);
    expect(huberLoss(1).evaluate(p, 2, y, g)).toBe(0.625);
    expect([...g]).toEqual([0.25, -0.25, 0, 0.25]);
  });
  it('huber delta 3 equals half mse where every residual is inside', () => {
    expect(huberLoss(3).evaluate(p, 2, y)).toBe(halfMeanSquaredError.evaluate(p, 2, y));
  });
  it('rejects a bad delta and mismatched shapes', () => {
    expect(() => huberLoss(0)).toThrow(/delta must be/);
    expect(() => meanSquaredError.evaluate(p, 4, y)).toThrow(/targets have 2 columns/);
  });
});

describe('binary cross-entropy from logits', () => {
  it('matches -y log s - (1 - y) log(1 - s) for moderate logits', () => {
    const z = new Float64Array([0.3, -1.2, 2]);
    const t = matrix(new Float64Array([1, 0, 0.25]), 3, 1);
    const g = new Float64Array(3);
    let expected = 0;
    const expectedGrad: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = 1 / (1 + Math.exp(-z[i]!));
      expected += -t.data[i]! * Math.log(s) - (1 - t.data[i]!) * Math.log(1 - s);
      expectedGrad.push((s - t.data[i]!) / 3);
    }
    expect(binaryCrossEntropyFromLogits.evaluate(z, 1, t, g)).toBeCloseTo(expected / 3, 14);
    for (let i = 0; i < 3; i++) expect(g[i]).toBeCloseTo(expectedGrad[i]!, 15);
  });
  it('stays finite and exact for huge logits', () => {
    // Label 0 with logit 1000: loss = softplus(1000) = 1000 exactly; label 1 with -1000: also 1000.
    const z = new Float64Array([1000, -1000, 1000]);
    const t = matrix(new Float64Array([0, 1, 1]), 3, 1);
    const g = new Float64Array(3);
    expect(binaryCrossEntropyFromLogits.evaluate(z, 1, t, g)).toBe(2000 / 3);
    expect([...g]).toEqual([1 / 3, -1 / 3, 0]);
  });
  it('softplus and sigmoid are accurate in both tails', () => {
    expect(softplus(-50)).toBeCloseTo(Math.exp(-50), 30);
    expect(softplus(50)).toBe(50 + Math.log1p(Math.exp(-50)));
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-30)).toBeCloseTo(Math.exp(-30), 25);
  });
});

describe('softmax cross-entropy', () => {
  it('one row, logits [1, 2, 3], class 2: log(e + e^2 + e^3) - 3', () => {
    const z = new Float64Array([1, 2, 3]);
    const g = new Float64Array(3);
    const logZ = Math.log(Math.E + Math.E ** 2 + Math.E ** 3);
    expect(softmaxCrossEntropy.evaluate(z, 3, matrix(new Float64Array([2]), 1, 1), g)).toBeCloseTo(
      logZ - 3,
      14,
    );
    const s = [1, 2, 3].map((v) => Math.exp(v - logZ));
    expect(g[0]).toBeCloseTo(s[0]!, 15);
    expect(g[1]).toBeCloseTo(s[1]!, 15);
    expect(g[2]).toBeCloseTo(s[2]! - 1, 15);
  });
  it('one-hot targets give the same as index targets; mean over rows', () => {
    const z = new Float64Array([0.5, -1, 2, 3, 0, -2]);
    const a = softmaxCrossEntropy.evaluate(z, 3, matrix(new Float64Array([0, 1]), 2, 1));
    const b = softmaxCrossEntropy.evaluate(z, 3, matrix(new Float64Array([1, 0, 0, 0, 1, 0]), 2, 3));
    expect(a).toBeCloseTo(b, 14);
  });
  it('large logits do not overflow', () => {
    const z = new Float64Array([1000, 0]);
    expect(softmaxCrossEntropy.evaluate(z, 2, matrix(new Float64Array([1]), 1, 1))).toBe(1000);
  });
  it('names a bad class index', () => {
    expect(() =>
      softmaxCrossEntropy.evaluate(new Float64Array(3), 3, matrix(new Float64Array([3]), 1, 1)),
    ).toThrow(/target row 0 is class 3/);
  });
});

describe('hinge', () => {
  it('labels {0,1} read as {-1,+1}: margins max(0, 1 - y z)', () => {
    // z = [2, 0.5, -0.5, 0.5], y = [1, 1, 0, 0] -> t = [1, 1, -1, -1]: losses [0, 0.5, 0.5, 1.5].
    const z = new Float64Array([2, 0.5, -0.5, 0.5]);
    const t = matrix(new Float64Array([1, 1, 0, 0]), 4, 1);
    const g = new Float64Array(4);
    expect(hingeLoss.evaluate(z, 1, t, g)).toBe(2.5 / 4);
    expect([...g]).toEqual([0, -0.25, 0.25, 0.25]);
  });
});

describe('penalties', () => {
  it('l2: (lambda/2) sum w^2 with gradient lambda w added; l1: lambda sum |w|', () => {
    const w = new Float64Array([3, -4, 100]);
    const g = new Float64Array([1, 1, 1]);
    expect(l2Penalty(0.1).apply(w, 0, 2, g)).toBeCloseTo(0.05 * 25, 14);
    expect([...g]).toEqual([1 + 0.1 * 3, 1 - 0.1 * 4, 1]);
    const h = new Float64Array(3);
    expect(l1Penalty(0.5).apply(w, 0, 2, h)).toBe(3.5);
    expect([...h]).toEqual([0.5, -0.5, 0]);
    expect(() => l2Penalty(-1)).toThrow(/strength must be/);
  });
});

describe('precision of tiny losses (confident, correct predictions)', () => {
  it('bce: label 1, logit 40 gives log1p(e^-40) ~ 4.25e-18 to full relative precision', () => {
    const v = binaryCrossEntropyFromLogits.evaluate(
      new Float64Array([40]),
      1,
      matrix(new Float64Array([1]), 1, 1),
    );
    expect(v / Math.exp(-40)).toBeCloseTo(1, 12);
  });
  it('softmax: logits [30, 0], class 0 gives log1p(e^-30) ~ 9.4e-14 to full relative precision', () => {
    const z = new Float64Array([30, 0]);
    const index = softmaxCrossEntropy.evaluate(z, 2, matrix(new Float64Array([0]), 1, 1));
    const oneHot = softmaxCrossEntropy.evaluate(z, 2, matrix(new Float64Array([1, 0]), 1, 2));
    expect(index / Math.log1p(Math.exp(-30))).toBeCloseTo(1, 12);
    expect(oneHot / Math.log1p(Math.exp(-30))).toBeCloseTo(1, 12);
  });
});
