import type { Matrix } from '@downhill/core';
import { checkElementwise, type Loss } from './loss.js';

/**
 * Mean absolute error: L = (1/n) sum_i |p_i - y_i|, dL/dp_i = sign(p_i - y_i) / n
 * (the subgradient 0 is used where p_i = y_i).
 */
export const meanAbsoluteError: Loss = {
  name: 'mae',
  evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number {
    const n = checkElementwise('mae', predictions, outputs, targets);
    const y = targets.data;
    let sum = 0;
    const scale = 1 / n;
    for (let i = 0; i < n; i++) {
      const r = predictions[i]! - y[i]!;
      sum += Math.abs(r);
      if (gradient !== undefined) gradient[i] = r > 0 ? scale : r < 0 ? -scale : 0;
    }
    return n === 0 ? 0 : sum / n;
  },
  describe: () => ({ name: 'mae' }),
};
