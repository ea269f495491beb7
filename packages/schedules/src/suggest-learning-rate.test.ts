import { describe, expect, it } from 'vitest';
import { suggestLearningRate } from './suggest-learning-rate.js';

describe('suggestLearningRate', () => {
  // Rates 10^-4 ... 10^4 (evenly spaced in log), a curve that falls fastest around 10^0.
  const learningRates = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000, 10000];
  const smoothedLosses = [1, 1, 0.99, 0.9, 0.6, 0.3, 0.2, 0.25, 2];

  it('steepest: the rate of the most negative central difference before the minimum', () => {
    // Differences over two decades: i=3 (0.6 - 0.99) / 2 = -0.195, i=4 (0.3 - 0.9) / 2 = -0.3,
    // i=5 (0.2 - 0.6) / 2 = -0.2, i=6 (0.25 - 0.3) / 2 = -0.025 -> i = 4, rate 1.
    expect(suggestLearningRate({ learningRates, smoothedLosses })).toBe(1);
  });

  it('minimum: a tenth of the rate at the lowest loss', () => {
    expect(suggestLearningRate({ learningRates, smoothedLosses }, { method: 'minimum' })).toBe(10);
  });

  it('ignores a non-finite tail and refuses a curve that is too short', () => {
    expect(
      suggestLearningRate({ learningRates, smoothedLosses: [...smoothedLosses.slice(0, 8), Number.NaN] }),
    ).toBe(1);
    expect(() =>
      suggestLearningRate({ learningRates: [1, 2], smoothedLosses: [1, Number.POSITIVE_INFINITY] }),
    ).toThrow(
      'suggestLearningRate: the curve needs at least 3 finite points, got 1 (widen the sweep or lower minLr)',
    );
  });
});
