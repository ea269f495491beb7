import { describe, expect, it } from 'vitest';
import { logNormalMass, normalCdf } from './normal-cdf.js';

describe('normalCdf', () => {
  it('matches published values of the standard normal CDF', () => {
    // Abramowitz & Stegun, table 26.1 (and any statistics table).
    const table: [number, number][] = [
      [0, 0.5],
      [0.5, 0.6914624612740131],
      [1, 0.8413447460685429],
      [1.96, 0.9750021048517795],
      [-2, 0.022750131948179195],
      [3, 0.9986501019683699],
    ];
    for (const [z, p] of table) expect(normalCdf(z)).toBeCloseTo(p, 7);
    // The upper tail stays relative: 1 - Phi(8) = 6.22096057e-16.
    expect(Math.exp(logNormalMass(8, Number.POSITIVE_INFINITY)) / 6.22096057427e-16).toBeCloseTo(1, 5);
  });
});
