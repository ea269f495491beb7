import { emaSmooth } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { EmaSeries } from './ema-series.js';

describe('EmaSeries', () => {
  const noisy = Array.from({ length: 500 }, (_, i) => Math.exp(-i / 100) + 0.1 * Math.sin(i * 7.3));

  it('matches core emaSmooth (TensorBoard) when fed in pieces', () => {
    const ema = new EmaSeries(0.9);
    ema.update(noisy, 10);
    ema.update(noisy, 250);
    const out = ema.update(noisy, 500);
    const oracle = emaSmooth(noisy, 0.9);
    for (let i = 0; i < 500; i++) expect(out[i]).toBeCloseTo(oracle[i]!, 12);
  });

  it('follows the hand-computed debiased formula', () => {
    const ema = new EmaSeries(0.5);
    const out = ema.update([2, 4], 2);
    // k=1: (0.5*2)/(1-0.5) = 2; k=2: (0.5*1 + 0.5*4)/(1-0.25) = 2.5/0.75
    expect(out[0]).toBeCloseTo(2, 14);
    expect(out[1]).toBeCloseTo(2.5 / 0.75, 14);
  });

  it('passes non-finite points through and restarts when the weight changes', () => {
    const ema = new EmaSeries(0.6);
    const values = [1, Number.NaN, 3, 5];
    ema.update(values, 4);
    const out = ema.update(values, 4, 0.3);
    const oracle = emaSmooth(values, 0.3);
    expect(Number.isNaN(out[1]!)).toBe(true);
    expect(out[3]).toBeCloseTo(oracle[3]!, 14);
    expect(ema.weight).toBe(0.3);
  });

  it('rejects a weight outside [0, 1]', () => {
    expect(() => new EmaSeries(1.5)).toThrow(/smoothing must be in \[0, 1\], got 1.5/);
  });
});
