import { createRng } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { normalCdf } from './normal-cdf.js';
import { categoricalParzen, numericalParzen, tpeWeights } from './parzen-estimator.js';

describe('tpeWeights', () => {
  it('weighs the newest 25 observations 1 and ramps older ones up from 1/n', () => {
    expect(tpeWeights(3)).toEqual([1, 1, 1]);
    // n = 27: numpy.linspace(1/27, 1, 2) = [1/27, 1], then 25 ones.
    expect(tpeWeights(27)).toEqual([1 / 27, 1, ...new Array(25).fill(1)]);
    // n = 28: linspace(1/28, 1, 3) = [1/28, (1/28 + 1)/2, 1].
    const w = tpeWeights(28);
    expect(w.slice(0, 3)).toEqual([1 / 28, (1 / 28 + 1) / 2, 1]);
    expect(w).toHaveLength(28);
  });
});

describe('numericalParzen', () => {
  it('sets bandwidths to the larger neighbour gap, the prior in the sort, as Optuna does (by hand)', () => {
    // Observations 0.2, 0.5 on [0, 1]; prior centre 0.5. Sorted centres with the range ends:
    // [0, 0.2, 0.5, 0.5, 1]. Larger gaps: 0.2 -> max(0.2, 0.3) = 0.3; the outermost centres take
    // their inner gap: first 0.5 - 0.2 = 0.3. Clip to [1 / min(100, 1 + 3), 1] = [0.25, 1].
    const p = numericalParzen({ values: [0.2, 0.5], low: 0, high: 1, step: 0, priorWeight: 1 });
    expect(p.mus).toEqual([0.2, 0.5, 0.5]);
    expect(p.sigmas.map((s) => +s.toFixed(12))).toEqual([0.3, 0.3, 1]);
    expect(p.weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('clips a bandwidth up to range / min(100, kernels + 1) (by hand)', () => {
    // Observations 0.5, 0.52, 0.9 and prior 0.5: sorted [0.5 (obs), 0.5 (prior), 0.52, 0.9]
    // between the ends 0 and 1. Gaps: obs 0.5 -> inner gap 0 (outermost); 0.52 -> max(0.02, 0.38);
    // 0.9 -> inner gap 0.38 (outermost). Clip: min sigma = 1 / min(100, 1 + 4) = 0.2.
    const p = numericalParzen({ values: [0.5, 0.52, 0.9], low: 0, high: 1, step: 0, priorWeight: 1 });
    expect(p.sigmas.map((s) => +s.toFixed(12))).toEqual([0.2, 0.38, 0.38, 1]);
  });

  it('is the truncated normal N(centre, range) alone without observations, with the published CDF', () => {
    const p = numericalParzen({ values: [], low: 0, high: 1, step: 0, priorWeight: 1 });
    // pdf(0.5) = phi(0) / (Phi(0.5) - Phi(-0.5)), Phi(0.5) = 0.6914624612740131 (tables).
    const expected = 1 / Math.sqrt(2 * Math.PI) / (2 * 0.6914624612740131 - 1);
    expect(Math.exp(p.logPdf(0.5))).toBeCloseTo(expected, 6);
    // Its mass over [0, 1] is 1 (trapezoid rule).
    let mass = 0;
    for (let i = 0; i < 1000; i++)
      mass += (Math.exp(p.logPdf(i / 1000)) + Math.exp(p.logPdf((i + 1) / 1000))) / 2000;
    expect(mass).toBeCloseTo(1, 6);
  });

  it('gives an integer kernel the mass of [x - 1/2, x + 1/2], summing to 1 over the integers', () => {
    // Integers 1..3 with no observations: prior N(2, 3) truncated to [0.5, 3.5].
    const p = numericalParzen({ values: [], low: 1, high: 3, step: 1, priorWeight: 1 });
    const z = (x: number) => (x - 2) / 3;
    const total = normalCdf(z(3.5)) - normalCdf(z(0.5));
    expect(Math.exp(p.logPdf(2))).toBeCloseTo((normalCdf(z(2.5)) - normalCdf(z(1.5))) / total, 6);
    expect([1, 2, 3].reduce((s, x) => s + Math.exp(p.logPdf(x)), 0)).toBeCloseTo(1, 6);
    const rng = createRng(1);
    for (let i = 0; i < 200; i++) expect([1, 2, 3]).toContain(p.sample(rng));
  });
});

describe('categoricalParzen', () => {
  it('mixes kernels with priorWeight / K on every choice and 1 on the observed one (by hand)', () => {
    // 3 choices, observations [0, 0, 2]: K = 4 kernels; a row is [1 + 1/4, 1/4, 1/4] / 1.75 etc.,
    // the prior row uniform; each kernel weighs 1/4.
    const p = categoricalParzen({ indices: [0, 0, 2], choices: 3, priorWeight: 1 });
    const p0 = (2 * (1.25 / 1.75) + 0.25 / 1.75 + 1 / 3) / 4;
    const p1 = (3 * (0.25 / 1.75) + 1 / 3) / 4;
    const p2 = (2 * (0.25 / 1.75) + 1.25 / 1.75 + 1 / 3) / 4;
    expect(Math.exp(p.logPdf(0))).toBeCloseTo(p0, 12);
    expect(Math.exp(p.logPdf(1))).toBeCloseTo(p1, 12);
    expect(Math.exp(p.logPdf(2))).toBeCloseTo(p2, 12);
    // Sampling follows the same mixture.
    const rng = createRng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[p.sample(rng)]!++;
    expect(counts[0]! / 20000).toBeCloseTo(p0, 1);
    expect(counts[1]! / 20000).toBeCloseTo(p1, 1);
  });
});
