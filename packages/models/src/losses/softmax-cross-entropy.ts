import type { Matrix } from '@downhill/core';
import type { Loss } from './loss.js';

/**
 * Softmax cross-entropy from logits, mean over rows. Per row with logits z (k classes) and target
 * distribution t: l = logsumexp(z) - sum_j t_j z_j, dl/dz_j = softmax(z)_j - t_j (for sum_j t_j = 1).
 * logsumexp subtracts the row maximum first, so large logits do not overflow.
 *
 * Targets are either one-hot / probability rows (`targets.cols === k`) or class indices
 * (`targets.cols === 1`, values 0 .. k-1).
 */
export const softmaxCrossEntropy: Loss = {
  name: 'softmax-cross-entropy',
  evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number {
    const rows = targets.rows;
    const k = outputs;
    const indexTargets = targets.cols === 1 && k > 1;
    if (!indexTargets && targets.cols !== k) {
      throw new RangeError(
        `softmax-cross-entropy: targets have ${targets.cols} columns, expected ${k} (one-hot) or 1 (class index)`,
      );
    }
    if (predictions.length < rows * k) {
      throw new RangeError(
        `softmax-cross-entropy: predictions hold ${predictions.length} values, need ${rows * k}`,
      );
    }
    const y = targets.data;
    const scale = 1 / rows;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * k;
      let top = 0;
      for (let j = 1; j < k; j++) if (predictions[base + j]! > predictions[base + top]!) top = j;
      const max = predictions[base + top]!;
      // logsumexp(z) = max + log1p(sum over j != top of exp(z_j - max)): log1p keeps a confident
      // row's tiny loss (and so finite differences of it) at full relative precision.
      let others = 0;
      for (let j = 0; j < k; j++) if (j !== top) others += Math.exp(predictions[base + j]! - max);
      const logRest = Math.log1p(others);
      const logZ = max + logRest;
      if (indexTargets) {
        const cls = y[r]!;
        if (!Number.isInteger(cls) || cls < 0 || cls >= k) {
          throw new RangeError(
            `softmax-cross-entropy: target row ${r} is class ${cls}, valid classes are 0..${k - 1}`,
          );
        }
        sum += max - predictions[base + cls]! + logRest;
        if (gradient !== undefined) {
          for (let j = 0; j < k; j++) gradient[base + j] = scale * Math.exp(predictions[base + j]! - logZ);
          gradient[base + cls]! -= scale;
        }
      } else {
        // sum_j t_j (logZ - z_j) = sum_j t_j (max - z_j) + (sum_j t_j) log1p(others): every term >= 0.
        let gap = 0;
        let tsum = 0;
        for (let j = 0; j < k; j++) {
          const t = y[base + j]!;
          gap += t * (max - predictions[base + j]!);
          tsum += t;
        }
        sum += gap + tsum * logRest;
        if (gradient !== undefined) {
          for (let j = 0; j < k; j++) {
            gradient[base + j] = scale * (tsum * Math.exp(predictions[base + j]! - logZ) - y[base + j]!);
          }
        }
      }
    }
    return rows === 0 ? 0 : sum / rows;
  },
  describe: () => ({ name: 'softmax-cross-entropy' }),
};
