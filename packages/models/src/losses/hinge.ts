import type { Matrix } from '@downhill/core';
import { checkElementwise, type Loss } from './loss.js';

/**
 * Hinge loss for labels in {-1, +1} (labels 0 are read as -1, as Keras does): per element
 * l = max(0, 1 - y z), dl/dz = -y where y z < 1, else 0. L is the mean over elements; with a linear
 * model and an L2 penalty this is the soft-margin linear SVM.
 */
export const hingeLoss: Loss = {
  name: 'hinge',
  evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number {
    const n = checkElementwise('hinge', predictions, outputs, targets);
    const y = targets.data;
    let sum = 0;
    const scale = 1 / n;
    for (let i = 0; i < n; i++) {
      const t = y[i]! > 0 ? 1 : -1;
      const margin = 1 - t * predictions[i]!;
      if (margin > 0) {
        sum += margin;
        if (gradient !== undefined) gradient[i] = -scale * t;
      } else if (gradient !== undefined) gradient[i] = 0;
    }
    return n === 0 ? 0 : sum / n;
  },
  describe: () => ({ name: 'hinge' }),
};
