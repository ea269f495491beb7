import type { Matrix } from '@downhill/core';
import { checkElementwise, type Loss } from './loss.js';

/**
 * Huber loss (Huber, 1964) with threshold `delta` > 0: per element, with r = p - y,
 * l(r) = r^2 / 2 where |r| <= delta, else delta (|r| - delta / 2); L is the mean over elements.
 * dl/dr = r inside, delta sign(r) outside: quadratic near the target, linear (robust to
 * outliers) far from it.
 */
export function huberLoss(delta = 1): Loss {
  if (!(delta > 0) || !Number.isFinite(delta)) {
    throw new RangeError(`huberLoss: delta must be a finite number > 0, got ${delta}`);
  }
  return {
    name: 'huber',
    evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number {
      const n = checkElementwise('huber', predictions, outputs, targets);
      const y = targets.data;
      let sum = 0;
      const scale = 1 / n;
      for (let i = 0; i < n; i++) {
        const r = predictions[i]! - y[i]!;
        const a = Math.abs(r);
        if (a <= delta) {
          sum += 0.5 * r * r;
          if (gradient !== undefined) gradient[i] = scale * r;
        } else {
          sum += delta * (a - 0.5 * delta);
          if (gradient !== undefined) gradient[i] = r > 0 ? scale * delta : -scale * delta;
        }
      }
      return n === 0 ? 0 : sum / n;
    },
    describe: () => ({ name: 'huber', delta }),
  };
}
