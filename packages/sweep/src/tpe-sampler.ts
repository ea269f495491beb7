import { createRng, type Rng } from '@downhill/core';
import { isActive, type SpaceParam } from './check-space.js';
import type { Config, ParamValue } from './domain.js';
import { categoricalParzen, numericalParzen, type ParzenEstimator } from './parzen-estimator.js';
import { samplePrior } from './sample-prior.js';
import type { Observation, Sampler } from './sampler.js';
import { searchScale } from './search-scale.js';
import { SAMPLER_STREAM, trialSeed } from './trial-seed.js';

export interface TpeSamplerOptions {
  /** Default 0. Trial i draws from `trialSeed(seed, SAMPLER_STREAM, i)`. */
  readonly seed?: number;
  /** Trials drawn at random before the model takes over (Optuna: 10). */
  readonly startupTrials?: number;
  /** Candidates drawn from l(x) per parameter; the one with the largest l(x) / g(x) wins (Optuna: 24). */
  readonly candidates?: number;
  /** How many of n finished trials count as good (Optuna: min(ceil(0.1 n), 25)). */
  readonly gamma?: (n: number) => number;
  /** Weight of each estimator's prior kernel (Optuna: 1). */
  readonly priorWeight?: number;
}

/** Optuna's default split: the best 10% of the trials, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** A NaN score (a diverged trial) ranks last, as Optuna ranks it. */
const worstIfNaN = (score: number) => (Number.isNaN(score) ? Number.POSITIVE_INFINITY : score);

/**
 * Splits finished trials into the good ("below") and the rest, both oldest first: completed trials
 * ranked by score, then pruned ones (the furthest budget first, then score), the best gamma(n)
 * good. Pruned trials rank after completed ones because their scores come from smaller budgets.
 */
export function splitObservations(
  history: readonly Observation[],
  gamma: (n: number) => number,
): { below: Observation[]; above: Observation[] } {
  const completed = history
    .filter((o) => o.state === 'completed')
    .sort((a, b) => worstIfNaN(a.score) - worstIfNaN(b.score) || a.index - b.index);
  const pruned = history
    .filter((o) => o.state === 'pruned')
    .sort((a, b) => b.budget - a.budget || worstIfNaN(a.score) - worstIfNaN(b.score) || a.index - b.index);
  const ranked = [...completed, ...pruned];
  const nBelow = Math.max(0, Math.min(ranked.length, gamma(ranked.length)));
  const byIndex = (a: Observation, b: Observation) => a.index - b.index;
  return { below: ranked.slice(0, nBelow).sort(byIndex), above: ranked.slice(nBelow).sort(byIndex) };
}

/** The value of one parameter with the largest l(x) / g(x) among candidates drawn from l. */
function sampleParam(
  param: SpaceParam,
  below: readonly Observation[],
  above: readonly Observation[],
  rng: Rng,
  candidates: number,
  priorWeight: number,
): ParamValue {
  const { domain, name } = param;
  if (domain.kind === 'fixed') return domain.value;
  // Each estimator sees only the trials where the parameter existed (conditional ones).
  const seen = (set: readonly Observation[]) => set.map((o) => o.config[name]).filter((v) => v !== undefined);
  let l: ParzenEstimator;
  let g: ParzenEstimator;
  let back: (t: number) => ParamValue;
  let forward: (v: ParamValue) => number;
  if (domain.kind === 'categorical') {
    const indexOf = (v: ParamValue) => domain.choices.indexOf(v);
    const make = (set: readonly Observation[]) =>
      categoricalParzen({
        indices: seen(set)
          .map(indexOf)
          .filter((i) => i >= 0),
        choices: domain.choices.length,
        priorWeight,
      });
    l = make(below);
    g = make(above);
    back = (t) => domain.choices[t]!;
    forward = indexOf;
  } else {
    const scale = searchScale(domain);
    const make = (set: readonly Observation[]) =>
      numericalParzen({
        values: seen(set).map(scale.forward),
        low: scale.low,
        high: scale.high,
        ...(scale.cell !== undefined ? { cell: scale.cell } : {}),
        priorWeight,
      });
    l = make(below);
    g = make(above);
    back = scale.back;
    forward = scale.forward;
  }
  let best: ParamValue | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < candidates; c++) {
    const value = back(l.sample(rng));
    // Scored where it lands after rounding and clamping, as Optuna scores its untransformed samples.
    const x = forward(value);
    const score = l.logPdf(x) - g.logPdf(x);
    if (best === undefined || score > bestScore) {
      best = value;
      bestScore = score;
    }
  }
  return best!;
}

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kegl, 2011, "Algorithms for
 * Hyper-Parameter Optimization"), univariate, with Optuna's TPESampler (5.0) defaults as the
 * reference: random trials first; then the finished trials are split at the gamma quantile into
 * good and bad, each parameter gets a Parzen estimator l(x) over the good trials' values and g(x)
 * over the rest (a prior kernel in each), and the candidate drawn from l with the largest
 * l(x) / g(x) is chosen. Log-scale parameters are modelled on the log scale, integers with
 * discrete kernels, categoricals with Optuna's categorical kernels; conditional parameters are
 * drawn only when their condition holds, from the trials where they existed.
 */
export function tpeSampler(options: TpeSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  const startupTrials = options.startupTrials ?? 10;
  const candidates = options.candidates ?? 24;
  const gamma = options.gamma ?? defaultGamma;
  const priorWeight = options.priorWeight ?? 1;
  if (!(Number.isInteger(startupTrials) && startupTrials >= 0))
    throw new RangeError(`tpeSampler: startupTrials must be an integer >= 0, got ${startupTrials}`);
  if (!(Number.isInteger(candidates) && candidates >= 1))
    throw new RangeError(`tpeSampler: candidates must be an integer >= 1, got ${candidates}`);
  if (!(priorWeight > 0)) throw new RangeError(`tpeSampler: priorWeight must be > 0, got ${priorWeight}`);
  return {
    name: 'tpe',
    suggest({ space, index, history }) {
      const rng = createRng(trialSeed(seed, SAMPLER_STREAM, index));
      const config: Record<string, ParamValue> = {};
      const finished = history.filter((o) => o.state === 'completed' || o.state === 'pruned');
      if (finished.length < startupTrials || finished.length === 0) {
        for (const param of space)
          if (isActive(param, config)) config[param.name] = samplePrior(param.domain, rng);
        return config as Config;
      }
      const { below, above } = splitObservations(finished, gamma);
      for (const param of space) {
        if (isActive(param, config))
          config[param.name] = sampleParam(param, below, above, rng, candidates, priorWeight);
      }
      return config as Config;
    },
  };
}
