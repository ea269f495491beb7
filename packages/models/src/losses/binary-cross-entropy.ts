import type { Matrix } from '@downhill/core';
import { checkElementwise, type Loss } from './loss.js';

/**
 * softplus(z) = log(1 + e^z), computed as max(z, 0) + log1p(e^-|z|): never overflows, and keeps
 * full precision for large negative z.
 */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** The logistic function 1 / (1 + e^-z), evaluated without overflow for either sign of z. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Binary cross-entropy from logits z and targets y in [0, 1]:
 * l = -y log s(z) - (1 - y) log(1 - s(z)) = softplus(z) - y z, with s the sigmoid,
 * dl/dz = s(z) - y. Taking logits (not probabilities) keeps it finite and exact for large |z|,
 * where log(s(z)) would round to log(0). L is the mean over elements.
 */
export const binaryCrossEntropyFromLogits: Loss = {
  name: 'bce-logits',
  evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number {
    const n = checkElementwise('bce-logits', predictions, outputs, targets);
    const y = targets.data;
    let sum = 0;
    const scale = 1 / n;
    for (let i = 0; i < n; i++) {
      const z = predictions[i]!;
      const t = y[i]!;
      // (max(z, 0) - t z) is exact for t in {0, 1}; adding log1p last keeps tiny losses precise.
      sum += Math.max(z, 0) - t * z + Math.log1p(Math.exp(-Math.abs(z)));
      if (gradient !== undefined) gradient[i] = scale * (sigmoid(z) - t);
    }
    return n === 0 ? 0 : sum / n;
  },
  describe: () => ({ name: 'bce-logits' }),
};
