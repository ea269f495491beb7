import type { Rng } from '@downhill/core';
import type { LeafDomain, ParamValue } from './domain.js';

/**
 * Draws a value from a domain's own distribution (what random search does). A log-scale integer
 * is drawn log-uniformly on [low - 0.5, high + 0.5] and rounded, so every integer in range gets
 * the mass of its rounding interval, as Optuna's RandomSampler does.
 */
export function samplePrior(domain: LeafDomain, rng: Rng): ParamValue {
  switch (domain.kind) {
    case 'uniform':
      return rng.uniform(domain.low, domain.high);
    case 'logUniform':
      return Math.exp(rng.uniform(Math.log(domain.low), Math.log(domain.high)));
    case 'integer': {
      if (!domain.log) return domain.low + rng.int(domain.high - domain.low + 1);
      const v = Math.round(Math.exp(rng.uniform(Math.log(domain.low - 0.5), Math.log(domain.high + 0.5))));
      return Math.min(domain.high, Math.max(domain.low, v));
    }
    case 'categorical':
      return domain.choices[rng.int(domain.choices.length)]!;
    case 'fixed':
      return domain.value;
  }
}
