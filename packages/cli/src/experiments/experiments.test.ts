import { noisyLine } from '@downhill/data';
import { linearRegression } from '@downhill/models';
import { describe, expect, it } from 'vitest';
import { batchSizes } from './batch-sizes.js';
import type { Experiment } from './experiment.js';
import { experiments } from './experiments.js';
import { learningRates } from './learning-rates.js';
import { lineAndCubic } from './line-and-cubic.js';
import { localMinima } from './local-minima.js';
import { type RunOutcome, runExperiment } from './report-experiment.js';
import { rosenbrockRace } from './rosenbrock-race.js';
import { saddlePoint } from './saddle-point.js';
import { seedLine } from './seed-data.js';
import { warmRestartsSwa } from './warm-restarts-swa.js';

/** Least-squares line through the data by the normal equations: the oracle for the line fits. */
function leastSquaresLine(): [number, number] {
  const { x, y } = seedLine();
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const n = x.rows;
  for (let i = 0; i < n; i++) {
    const xi = x.data[i]!;
    const yi = y.data[i]!;
    sx += xi;
    sy += yi;
    sxx += xi * xi;
    sxy += xi * yi;
  }
  const m = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return [m, (sy - m * sx) / n];
}

async function outcomes(experiment: Experiment): Promise<Map<string, RunOutcome>> {
  return new Map((await runExperiment(experiment)).map((o) => [o.label, o]));
}

function only(map: Map<string, RunOutcome>, prefix: string): RunOutcome {
  const matches = [...map.values()].filter((o) => o.label.startsWith(prefix));
  expect(matches).toHaveLength(1);
  return matches[0]!;
}

describe('demo experiments', () => {
  it('have unique kebab-case names and unique run labels', () => {
    const names = experiments.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of experiments) {
      expect(e.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      const labels = e.runs().map((r) => r.label);
      expect(new Set(labels).size).toBe(labels.length);
    }
  });

  it('line fit: 20 steps at 0.01 from (-8, -8) move the slope close to the least-squares one; the cubic approaches its generator', async () => {
    const runs = await outcomes(lineAndCubic);
    const [m] = leastSquaresLine();
    const line = only(runs, 'line');
    expect(line.end.step).toBe(20);
    expect(line.end.params[0]).toBeGreaterThan(m - 0.5);
    expect(line.end.params[0]).toBeLessThan(m + 1.5);
    // The intercept lags (its curvature is small): it has moved up from -8 but not arrived.
    expect(line.end.params[1]).toBeGreaterThan(-8);
    expect(line.losses[19]).toBeLessThan(line.losses[0]! / 100);
    const cubic = only(runs, 'cubic');
    const [a, b, c, d] = cubic.end.params as [number, number, number, number];
    // Generator -4 + 3x + 4x^2 + 4x^3 with jitter: weights (x, x^2, x^3), then the constant.
    expect(Math.abs(c - 4)).toBeLessThan(0.3);
    expect(Math.abs(b - 4)).toBeLessThan(0.5);
    expect(Math.abs(a - 3)).toBeLessThan(1);
    expect(Math.abs(d + 4)).toBeLessThan(1);
  });

  it('learning rates: too small crawls, right reaches the least-squares line, too large diverges', async () => {
    const runs = await outcomes(learningRates);
    const [m, b] = leastSquaresLine();
    const right = only(runs, 'lr 0.02');
    expect(right.end.reason).toBe('completed');
    expect(right.end.params[0]).toBeCloseTo(m, 1);
    expect(Math.abs(right.end.params[1]! - b)).toBeLessThan(0.3);
    const small = only(runs, 'lr 0.001');
    expect(small.end.reason).toBe('completed');
    expect(Math.abs(small.end.params[1]! - b)).toBeGreaterThan(5);
    const large = only(runs, 'lr 0.1');
    expect(large.end.reason).toBe('diverged');
    expect(large.end.step).toBeLessThan(400);
    expect(large.end.params.every(Number.isFinite)).toBe(true);
  });

  it('batch sizes: the same epochs give 30, 300 and 3000 updates; stochastic gets closest', async () => {
    const runs = [...(await outcomes(batchSizes)).values()];
    expect(runs.map((r) => r.end.step)).toEqual([30, 300, 3000]);
    const [m, b] = leastSquaresLine();
    const distance = (r: RunOutcome) => Math.hypot(r.end.params[0]! - m, r.end.params[1]! - b);
    expect(distance(runs[2]!)).toBeLessThan(distance(runs[1]!));
    expect(distance(runs[1]!)).toBeLessThan(distance(runs[0]!));
  });

  it('local minima: plain descent ends in the local minimum, restarts and noise in the global one', async () => {
    const runs = await outcomes(localMinima);
    // The double well's critical points are closed-form roots of 4x^3 - 4x + 0.3 (see @downhill/models).
    expect(only(runs, 'plain').end.params[0]).toBeCloseTo(0.96015, 3);
    expect(only(runs, 'warm restarts').end.params[0]).toBeCloseTo(-1.03558, 3);
    expect(only(runs, 'annealed gradient noise').end.params[0]).toBeCloseTo(-1.036, 1);
  });

  it('saddle point: plain descent is still near the saddle, momentum and noise reach a minimum', async () => {
    const runs = await outcomes(saddlePoint);
    const plain = only(runs, 'plain').end;
    expect(Math.abs(plain.params[1]!)).toBeLessThan(0.2);
    expect(plain.loss).toBeGreaterThan(-0.02);
    for (const label of ['momentum', 'gradient noise']) {
      const end = only(runs, label).end;
      expect(Math.abs(Math.abs(end.params[1]!) - 1)).toBeLessThan(0.2);
      expect(end.loss).toBeLessThan(-0.2);
    }
  });

  it('Rosenbrock: momentum and Adam reach (1, 1), RMSProp nearly, plain SGD is still in the valley', async () => {
    const runs = await outcomes(rosenbrockRace);
    const distance = (label: string) => {
      const [x, y] = only(runs, label).end.params as [number, number];
      return Math.hypot(x - 1, y - 1);
    };
    expect(distance('momentum')).toBeLessThan(1e-3);
    expect(distance('Adam')).toBeLessThan(1e-3);
    expect(distance('RMSProp')).toBeLessThan(0.1);
    expect(distance('SGD')).toBeGreaterThan(0.3);
  });

  it('warm restarts and SWA end nearer the optimum than the constant rate', async () => {
    const runs = await outcomes(warmRestartsSwa);
    // Oracle: the least-squares line through the experiment's data (the normal equations).
    const data = noisyLine({ samples: 100, seed: 1, noise: 1, xRange: [0, 2] });
    const xs = Array.from(data.x.data);
    const ys = Array.from(data.y.data);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope =
      xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const best = linearRegression({ inputs: 1 }).loss(Float64Array.from([slope, my - slope * mx]), {
      x: data.x,
      y: data.y,
    });
    const excess = (loss: number) => loss - best;
    const constant = excess(only(runs, 'constant').metrics!.fullLoss!);
    expect(constant).toBeGreaterThan(0);
    expect(excess(only(runs, 'cosine').metrics!.fullLoss!)).toBeLessThan(constant);
    const swa = only(runs, 'SWA').metrics!;
    // The average is nearer the optimum than the constant rate's iterate (not always nearer than
    // SWA's own last iterate: on some shuffles the two are within 0.1%).
    expect(excess(swa.swaLoss!)).toBeLessThan(constant);
  });
});
