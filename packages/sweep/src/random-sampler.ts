import { createRng } from '@downhill/core';
import { isActive } from './check-space.js';
import type { Config, ParamValue } from './domain.js';
import { samplePrior } from './sample-prior.js';
import type { Sampler } from './sampler.js';
import { SAMPLER_STREAM, trialSeed } from './trial-seed.js';

export interface RandomSamplerOptions {
  /** Default 0. Trial i draws from `trialSeed(seed, SAMPLER_STREAM, i)`. */
  readonly seed?: number;
}

/** Random search (Bergstra & Bengio, 2012): every parameter drawn from its own domain. */
export function randomSampler(options: RandomSamplerOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  return {
    name: 'random',
    suggest({ space, index }) {
      const rng = createRng(trialSeed(seed, SAMPLER_STREAM, index));
      const config: Record<string, ParamValue> = {};
      for (const param of space) {
        if (isActive(param, config)) config[param.name] = samplePrior(param.domain, rng);
      }
      return config as Config;
    },
  };
}
