import type { Rng } from '@downhill/core';
import { logNormalMass } from './normal-cdf.js';

/** A one-dimensional mixture density over a parameter's (transformed) values. */
export interface ParzenEstimator {
  /** Mixture weights, summing to 1 (the prior's last). */
  readonly weights: readonly number[];
  sample(rng: Rng): number;
  logPdf(x: number): number;
}

/** Optuna's default weights: 1 for the newest 25 observations, a ramp from 1/n up for older ones. */
export function tpeWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) =>
    n - 25 === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (n - 26),
  );
  return [...ramp, ...new Array<number>(25).fill(1)];
}

function mixtureWeights(n: number, priorWeight: number, observationWeights?: readonly number[]): number[] {
  const w = n === 0 ? [1] : [...(observationWeights ?? tpeWeights(n)), priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

function pickKernel(weights: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let k = 0; k < weights.length - 1; k++) {
    u -= weights[k]!;
    if (u < 0) return k;
  }
  return weights.length - 1;
}

function logSumExp(terms: number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const t of terms) if (t > max) max = t;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let s = 0;
  for (const t of terms) s += Math.exp(t - max);
  return max + Math.log(s);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export interface NumericalParzenOptions {
  /** Observed values, already on the search scale (logarithms for log parameters), oldest first. */
  readonly values: readonly number[];
  /** The search range on the search scale, widened by half a step each side for integers. */
  readonly low: number;
  readonly high: number;
  /**
   * For integers: the interval of the search scale that rounds to the value at `x`
   * ([x - 1/2, x + 1/2], or [log(v - 1/2), log(v + 1/2)] on a log scale). A kernel's mass at x
   * is then its mass on that interval. Absent for real parameters (a density).
   */
  readonly cell?: (x: number) => readonly [number, number];
  /** Weight of the prior kernel relative to one observation's (Optuna: 1). */
  readonly priorWeight: number;
  /** Per observation; default `tpeWeights`. */
  readonly observationWeights?: readonly number[];
}

/**
 * The numerical Parzen estimator of Optuna's univariate TPE (as in Optuna 5.0): one truncated
 * normal kernel per observation plus a prior kernel N((low + high) / 2, high - low). A kernel's
 * bandwidth is the larger gap to its neighbours among the sorted observations, with the range
 * ends as the outer neighbours; with two or more observations the outermost ones take the gap on
 * their inner side instead. Bandwidths are clipped to [range / min(100, 2 + n), range] (the
 * "magic clip" of Bergstra et al., 2011). Kernels are truncated to [low, high].
 */
export function numericalParzen(options: NumericalParzenOptions): ParzenEstimator & {
  readonly mus: readonly number[];
  readonly sigmas: readonly number[];
} {
  const { values, low, high, cell, priorWeight } = options;
  const n = values.length;
  const range = high - low;
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const ends = [low, ...order.map((i) => values[i]!), high];
  const sortedSigmas = order.map((_, j) => Math.max(ends[j + 1]! - ends[j]!, ends[j + 2]! - ends[j + 1]!));
  if (ends.length >= 4) {
    sortedSigmas[0] = ends[2]! - ends[1]!;
    sortedSigmas[n - 1] = ends[n]! - ends[n - 1]!;
  }
  const sigmas = new Array<number>(n);
  order.forEach((original, j) => {
    sigmas[original] = sortedSigmas[j]!;
  });
  // n kernels for the observations and one for the prior.
  const minSigma = range / Math.min(100, 1 + n + 1);
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(range, Math.max(minSigma, sigmas[i]!));
  const mus = [...values, 0.5 * (low + high)];
  sigmas.push(range);
  const weights = mixtureWeights(n, priorWeight, options.observationWeights);
  const logNorm = mus.map((mu, k) => logNormalMass((low - mu) / sigmas[k]!, (high - mu) / sigmas[k]!));
  const logW = weights.map(Math.log);

  return {
    mus,
    sigmas,
    weights,
    sample(rng) {
      const k = pickKernel(weights, rng);
      const mu = mus[k]!;
      const sigma = sigmas[k]!;
      // Rejection from the untruncated kernel: its centre lies in range and sigma <= range, so
      // about a third of the draws or more land in range.
      for (let attempt = 0; attempt < 1000; attempt++) {
        const x = rng.normal(mu, sigma);
        if (x >= low && x <= high) return x;
      }
      return Math.min(high, Math.max(low, mu));
    },
    logPdf(x) {
      const [a, b] = cell?.(x) ?? [x, x];
      const terms = mus.map((mu, k) => {
        const sigma = sigmas[k]!;
        const log =
          cell !== undefined
            ? logNormalMass((a - mu) / sigma, (b - mu) / sigma)
            : -0.5 * ((x - mu) / sigma) ** 2 - LOG_SQRT_2PI - Math.log(sigma);
        return logW[k]! + log - logNorm[k]!;
      });
      return logSumExp(terms);
    },
  };
}

export interface CategoricalParzenOptions {
  /** Observed choice indices, oldest first. */
  readonly indices: readonly number[];
  readonly choices: number;
  readonly priorWeight: number;
  readonly observationWeights?: readonly number[];
}

/**
 * Optuna's categorical Parzen estimator: observation i's kernel puts priorWeight / K on every
 * choice plus 1 on its own (K kernels, the prior's included), normalised; the prior kernel is
 * uniform.
 */
export function categoricalParzen(options: CategoricalParzenOptions): ParzenEstimator & {
  readonly probabilities: readonly (readonly number[])[];
} {
  const { indices, choices, priorWeight } = options;
  const n = indices.length;
  const kernels = n + 1;
  const probabilities = [...indices, -1].map((own) => {
    const row = new Array<number>(choices).fill(priorWeight / kernels);
    if (own >= 0) row[own]! += 1;
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / total);
  });
  const weights = mixtureWeights(n, priorWeight, options.observationWeights);
  return {
    probabilities,
    weights,
    sample(rng) {
      return pickKernel(probabilities[pickKernel(weights, rng)]!, rng);
    },
    logPdf(x) {
      let p = 0;
      for (let k = 0; k < kernels; k++) p += weights[k]! * probabilities[k]![x]!;
      return Math.log(p);
    },
  };
}
