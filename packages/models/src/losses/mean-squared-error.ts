import type { Matrix } from '@downhill/core';
import { checkElementwise, type Loss } from './loss.js';

/**
 * Mean squared error: L = (1/n) sum_i (p_i - y_i)^2, dL/dp_i = 2 (p_i - y_i) / n,
 * with n = rows * outputs. See {@link halfMeanSquaredError} for the 1/2 convention.
 */
export const meanSquaredError: Loss = {
  name: 'mse',
  evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number {
    const n = checkElementwise('mse', predictions, outputs, targets);
    const y = targets.data;
    let sum = 0;
    const scale = 2 / n;
    for (let i = 0; i < n; i++) {
      const r = predictions[i]! - y[i]!;
      sum += r * r;
      if (gradient !== undefined) gradient[i] = scale * r;
    }
    return n === 0 ? 0 : sum / n;
  },
  describe: () => ({ name: 'mse' }),
};

/**
 * Half mean squared error, the "1/2 convention" of many textbooks (and of least-squares
 * derivations): L = (1/(2n)) sum_i (p_i - y_i)^2, so dL/dp_i = (p_i - y_i) / n with no factor 2.
 * Same minimiser as {@link meanSquaredError}; its gradient is half as large, so the same learning
 * rate takes half the step.
 */
export const halfMeanSquaredError: Loss = {
  name: 'half-mse',
  evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number {
    const n = checkElementwise('half-mse', predictions, outputs, targets);
    const y = targets.data;
    let sum = 0;
    const scale = 1 / n;
    for (let i = 0; i < n; i++) {
      const r = predictions[i]! - y[i]!;
      sum += r * r;
      if (gradient !== undefined) gradient[i] = scale * r;
    }
    return n === 0 ? 0 : sum / (2 * n);
  },
  describe: () => ({ name: 'half-mse' }),
};
