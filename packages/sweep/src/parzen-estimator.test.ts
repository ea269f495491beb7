import { readFileSync } from 'node:fs';
import { createRng } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { normalCdf } from './normal-cdf.js';
import { categoricalParzen, numericalParzen, tpeWeights } from './parzen-estimator.js';
import { type NumericalDomain, searchScale } from './search-scale.js';

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

interface FixtureCase {
  readonly name: string;
  readonly observations: number[];
  readonly weights: number[];
  readonly points: number[];
  readonly logPdf: number[];
  readonly low?: number;
  readonly high?: number;
  readonly log?: boolean;
  readonly int?: boolean;
  readonly mus?: number[];
  readonly sigmas?: number[];
  readonly choices?: number;
  readonly probabilities?: number[][];
}

// Written by scripts/optuna_fixtures.py with Optuna 5.0.0: its own _ParzenEstimator, TPESampler defaults.
const fixture = JSON.parse(
  readFileSync(new URL('../test/fixtures/optuna-parzen.json', import.meta.url), 'utf8'),
) as { optuna: string; cases: FixtureCase[] };

function domainOf(c: FixtureCase): NumericalDomain {
  if (c.int) return { kind: 'integer', low: c.low!, high: c.high!, log: c.log! };
  return c.log
    ? { kind: 'logUniform', low: c.low!, high: c.high! }
    : { kind: 'uniform', low: c.low!, high: c.high! };
}

describe('numericalParzen', () => {
  it.each(fixture.cases.filter((c) => c.choices === undefined).map((c) => [c.name, c] as const))(
    "matches Optuna's Parzen estimator: %s",
    (_name, c) => {
      const scale = searchScale(domainOf(c));
      const p = numericalParzen({
        values: c.observations.map(scale.forward),
        low: scale.low,
        high: scale.high,
        ...(scale.cell !== undefined ? { cell: scale.cell } : {}),
        priorWeight: 1,
      });
      for (const [k, mu] of p.mus.entries()) expect(mu).toBeCloseTo(c.mus![k]!, 12);
      for (const [k, sigma] of p.sigmas.entries()) expect(sigma).toBeCloseTo(c.sigmas![k]!, 12);
      for (const [k, w] of p.weights.entries()) expect(w).toBeCloseTo(c.weights[k]!, 12);
      // The normal CDF here is a 1.2e-7 approximation; scipy's is exact to rounding.
      for (const [i, x] of c.points.entries())
        expect(p.logPdf(scale.forward(x))).toBeCloseTo(c.logPdf[i]!, 5);
    },
  );

  it('sets bandwidths to the larger neighbour gap, the outermost their inner gap (by hand)', () => {
    // Observations 0.1, 0.2 on [0, 1]: sorted with the ends [0, 0.1, 0.2, 1]; the outermost
    // centres take their inner gap 0.1; clipped up to 1 / min(100, 2 + 2) = 0.25.
    const p = numericalParzen({ values: [0.1, 0.2], low: 0, high: 1, priorWeight: 1 });
    expect(p.mus).toEqual([0.1, 0.2, 0.5]);
    expect(p.sigmas).toEqual([0.25, 0.25, 1]);
    expect(p.weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // One observation 0.1: neighbours are the ends, larger gap 0.9.
    expect(numericalParzen({ values: [0.1], low: 0, high: 1, priorWeight: 1 }).sigmas).toEqual([0.9, 1]);
  });

  it('is the truncated normal N(centre, range) alone without observations, with the published CDF', () => {
    const p = numericalParzen({ values: [], low: 0, high: 1, priorWeight: 1 });
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
    const scale = searchScale({ kind: 'integer', low: 1, high: 3, log: false });
    const p = numericalParzen({
      values: [],
      low: scale.low,
      high: scale.high,
      cell: scale.cell!,
      priorWeight: 1,
    });
    const z = (x: number) => (x - 2) / 3;
    const total = normalCdf(z(3.5)) - normalCdf(z(0.5));
    expect(Math.exp(p.logPdf(2))).toBeCloseTo((normalCdf(z(2.5)) - normalCdf(z(1.5))) / total, 6);
    expect([1, 2, 3].reduce((s, x) => s + Math.exp(p.logPdf(x)), 0)).toBeCloseTo(1, 6);
    const rng = createRng(1);
    for (let i = 0; i < 200; i++) expect([1, 2, 3]).toContain(scale.back(p.sample(rng)));
  });
});

describe('categoricalParzen', () => {
  it("matches Optuna's categorical estimator", () => {
    const c = fixture.cases.find((x) => x.choices !== undefined)!;
    const p = categoricalParzen({ indices: c.observations, choices: c.choices!, priorWeight: 1 });
    for (const [k, row] of p.probabilities.entries())
      for (const [j, v] of row.entries()) expect(v).toBeCloseTo(c.probabilities![k]![j]!, 12);
    for (const [k, w] of p.weights.entries()) expect(w).toBeCloseTo(c.weights[k]!, 12);
    for (const [i, x] of c.points.entries()) expect(p.logPdf(x)).toBeCloseTo(c.logPdf[i]!, 12);
  });

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
