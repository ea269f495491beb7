import { checkChoice } from './check-parameter.js';

/** A loss-vs-learning-rate curve from a range test. */
export interface LrCurve {
  /** The rate each step used, increasing. */
  readonly learningRates: readonly number[];
  /** The smoothed loss at each of those steps. */
  readonly smoothedLosses: readonly number[];
}

export interface SuggestOptions {
  /**
   * `steepest` (default): the rate where the smoothed loss falls fastest against `log(lr)`, before
   * its minimum (Smith 2017; fast.ai's `steep`). `minimum`: a tenth of the rate at the smoothed
   * loss's minimum (fast.ai's `minimum`).
   */
  readonly method?: 'steepest' | 'minimum';
}

/**
 * A learning rate suggested by a range-test curve. The slope at point i is the central difference
 * `(s[i+1] - s[i-1]) / (log lr[i+1] - log lr[i-1])` (one-sided at the ends), searched up to the
 * point of lowest smoothed loss. Throws a RangeError when the curve has fewer than 3 finite points.
 */
export function suggestLearningRate(curve: LrCurve, options: SuggestOptions = {}): number {
  const method = checkChoice('suggestLearningRate', 'method', options.method ?? 'steepest', [
    'steepest',
    'minimum',
  ]);
  const { learningRates: lr, smoothedLosses: s } = curve;
  let n = Math.min(lr.length, s.length);
  while (n > 0 && !Number.isFinite(s[n - 1]!)) n--;
  if (n < 3) {
    throw new RangeError(
      `suggestLearningRate: the curve needs at least 3 finite points, got ${n} (widen the sweep or lower minLr)`,
    );
  }
  let lowest = 0;
  for (let i = 1; i < n; i++) if (s[i]! < s[lowest]!) lowest = i;
  if (method === 'minimum') return lr[lowest]! / 10;
  const end = Math.max(lowest, 1);
  let steepest = 0;
  let steepestSlope = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= end; i++) {
    const a = Math.max(i - 1, 0);
    const b = Math.min(i + 1, n - 1);
    const slope = (s[b]! - s[a]!) / (Math.log(lr[b]!) - Math.log(lr[a]!));
    if (slope < steepestSlope) {
      steepestSlope = slope;
      steepest = i;
    }
  }
  return lr[steepest]!;
}
