import type { Rng } from '@downhill/core';
import { isActive, type SpaceParam } from './check-space.js';
import type { Config, LeafDomain, ParamValue } from './domain.js';
import { samplePrior } from './sample-prior.js';

export interface ExploreOptions {
  /** Chance that a parameter is drawn afresh from its domain instead of perturbed (default 0.25). */
  readonly resampleProbability?: number;
  /** A numerical parameter is multiplied by one of these, chosen uniformly (default [0.8, 1.2]). */
  readonly perturbationFactors?: readonly number[];
}

function perturb(domain: LeafDomain, value: ParamValue, rng: Rng, factors: readonly number[]): ParamValue {
  switch (domain.kind) {
    case 'uniform':
    case 'logUniform': {
      const v = (value as number) * factors[rng.int(factors.length)]!;
      return Math.min(domain.high, Math.max(domain.low, v));
    }
    case 'integer': {
      const v = Math.round((value as number) * factors[rng.int(factors.length)]!);
      return Math.min(domain.high, Math.max(domain.low, v));
    }
    case 'categorical': {
      // As Ray Tune does for a list: a neighbouring choice, one step down or up (kept in range).
      const at = domain.choices.indexOf(value);
      const shift = rng.int(2) === 0 ? -1 : 1;
      return domain.choices[Math.min(domain.choices.length - 1, Math.max(0, at + shift))]!;
    }
    case 'fixed':
      return domain.value;
  }
}

/**
 * PBT's explore step (Jaderberg et al., 2017, "Population Based Training of Neural Networks", with
 * Ray Tune's defaults): each parameter of `config`, in the space's order, is drawn afresh from its
 * domain with probability `resampleProbability`, else perturbed: a real or integer multiplied by
 * one of `perturbationFactors` (clipped to its range, integers rounded), a categorical moved to a
 * neighbouring choice; fixed parameters stay. A conditional parameter that becomes active is drawn
 * from its domain; one that becomes inactive is dropped. Draws come from `rng` in that order.
 */
export function explore(
  space: readonly SpaceParam[],
  config: Config,
  rng: Rng,
  options: ExploreOptions = {},
): Config {
  const probability = options.resampleProbability ?? 0.25;
  const factors = options.perturbationFactors ?? [0.8, 1.2];
  const out: Record<string, ParamValue> = {};
  for (const param of space) {
    if (!isActive(param, out)) continue;
    const old = config[param.name];
    if (old === undefined || rng.next() < probability) out[param.name] = samplePrior(param.domain, rng);
    else out[param.name] = perturb(param.domain, old, rng, factors);
  }
  return out;
}
