import { describe, expect, it } from 'vitest';
import { fitLine, linePoints } from './line-fit.js';

/** The least-squares line by the normal equations: what gradient descent should converge to. */
function leastSquares(): [number, number] {
  const { x, y } = linePoints();
  const n = x.rows;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x.data[i]!;
    sy += y.data[i]!;
    sxx += x.data[i]! * x.data[i]!;
    sxy += x.data[i]! * y.data[i]!;
  }
  const m = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return [m, (sy - m * sx) / n];
}

describe('line-fit example', () => {
  it('converges from (-8, -8) to the least-squares line, close to y = 5x + 3', async () => {
    const { end } = await fitLine({ mode: 'sync' });
    expect(end.reason).toBe('converged');
    const [m, b] = end.params as [number, number];
    const [mStar, bStar] = leastSquares();
    expect(Math.abs(m - mStar)).toBeLessThan(1e-3);
    expect(Math.abs(b - bStar)).toBeLessThan(5e-3);
    expect(Math.abs(m - 5)).toBeLessThan(0.1);
    expect(Math.abs(b - 3)).toBeLessThan(0.3);
  });

  it('samples the learning curve every 50 steps with the debiased smoothed loss', async () => {
    const { curve, end } = await fitLine({ mode: 'sync' });
    expect(curve[0]).toMatchObject({ step: 0, m: expect.any(Number) });
    expect(curve.map((p) => p.step)).toEqual(curve.map((_, i) => i * 50));
    expect(curve.length).toBe(Math.floor((end.step - 1) / 50) + 1);
    // The first smoothed value of a debiased EMA is the first loss itself.
    expect(curve[0]!.smoothedLoss).toBe(curve[0]!.loss);
    // Batch gradient descent at a stable rate never increases the loss of a convex quadratic.
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.loss).toBeLessThanOrEqual(curve[i - 1]!.loss);
    expect(curve.at(-1)!.loss).toBeLessThan(curve[0]!.loss / 100);
  });
});
