import { type Matrix, matrix } from '@downhill/core';
import {
  binaryCrossEntropyFromLogits,
  hingeLoss as hingeOracle,
  huberLoss as huberOracle,
  type Loss,
  meanAbsoluteError,
  meanSquaredError,
  softmaxCrossEntropy,
} from '@downhill/models';
import { describe, expect, it } from 'vitest';
import { backward } from '../backward.js';
import { type Tensor, tensor } from '../tensor.js';
import { checkGradients } from '../test-grad-check.js';
import {
  bceWithLogitsLoss,
  hingeLoss,
  huberLoss,
  maeLoss,
  mseLoss,
  softmaxCrossEntropyLoss,
} from './losses.js';

const predictions = [0.3, -1.2, 2.5, 0.05, -0.4, 1.7, -2.2, 0.9];

/** Our loss's value and gradient against the fused implementation in @downhill/models (an independent oracle). */
function compare(
  ours: (p: Tensor, y: Tensor) => Tensor,
  theirs: Loss,
  targets: number[],
  cols: number,
): void {
  const rows = predictions.length / cols;
  const y: Matrix = matrix(Float64Array.from(targets), rows, targets.length / rows);
  const expectedGrad = new Float64Array(predictions.length);
  const expected = theirs.evaluate(Float64Array.from(predictions), cols, y, expectedGrad);
  const p = tensor(predictions, { shape: [rows, cols], requiresGrad: true });
  const value = ours(p, tensor(targets, { shape: [y.rows, y.cols] }));
  backward(value);
  expect(value.item()).toBeCloseTo(expected, 14);
  for (let i = 0; i < predictions.length; i++) expect(p.grad![i]).toBeCloseTo(expectedGrad[i]!, 14);
}

describe('losses against @downhill/models', () => {
  const regression = [0.5, -1, 1, 0.1, 2, 1.5, -2, -0.3];
  it('mse', () => compare(mseLoss, meanSquaredError, regression, 1));
  it('mae', () => compare(maeLoss, meanAbsoluteError, regression, 1));
  it('huber', () => {
    compare(huberLoss, huberOracle(), regression, 1);
    compare((p, y) => huberLoss(p, y, { delta: 0.3 }), huberOracle(0.3), regression, 1);
  });
  it('bce from logits', () =>
    compare(bceWithLogitsLoss, binaryCrossEntropyFromLogits, [1, 0, 1, 1, 0, 0, 1, 0.3], 1));
  it('hinge', () => compare(hingeLoss, hingeOracle, [1, -1, 1, 0, -1, 1, -1, 1], 1));
  it('softmax cross-entropy with class indices and with probability rows', () => {
    compare(softmaxCrossEntropyLoss, softmaxCrossEntropy, [1, 3], 4);
    compare(softmaxCrossEntropyLoss, softmaxCrossEntropy, [0.25, 0.75, 0, 0, 0, 0, 0.5, 0.5], 4);
  });
  it('finite differences through every loss', () => {
    const y = tensor([0.5, -1, 1, 0.1]);
    for (const loss of [mseLoss, maeLoss, huberLoss, bceWithLogitsLoss, hingeLoss])
      checkGradients((p) => loss(p!, y), [{ shape: [4] }]);
    checkGradients((p) => softmaxCrossEntropyLoss(p!, tensor([2, 0, 1])), [{ shape: [3, 3] }]);
  });
  it('names bad targets', () => {
    expect(() => mseLoss(tensor([1, 2]), tensor([1]))).toThrow(
      /mseLoss: predictions have shape \[2\] and targets \[1\]/,
    );
    expect(() => softmaxCrossEntropyLoss(tensor([1, 2], { shape: [1, 2] }), tensor([2]))).toThrow(
      /target of row 0 is 2, not a class index in 0 .. 1/,
    );
  });
});
