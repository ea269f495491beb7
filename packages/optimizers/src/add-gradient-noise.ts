import { createRng, type Optimizer, type Rng, type RngState, restoreRng } from '@downhill/core';
import { checkInteger, checkNonNegative } from './validate.js';

/** Options of {@link addGradientNoise}. */
export interface GradientNoiseOptions {
  /** eta: the noise variance at step 0. The paper tries 0.01, 0.3 and 1. Default 0.01. */
  readonly eta?: number;
  /** gamma: the decay exponent of the variance. Default 0.55. */
  readonly gamma?: number;
  /** Seed of the noise generator (a 32-bit integer). Default 0. */
  readonly seed?: number;
}

/** State of {@link addGradientNoise}: the generator's state, so a resumed run draws the same noise. */
export interface GradientNoiseState {
  rng: number[];
}

/**
 * Annealed Gaussian gradient noise (Neelakantan et al., 2015, "Adding Gradient Noise Improves
 * Learning for Very Deep Networks"): `u <- g + N(0, sigma_t^2)` with
 * `sigma_t^2 = eta / (1 + t)^gamma`, t the step. Noise comes from core's seeded xoroshiro128+
 * generator, whose state is kept in the transform state. Put it first in the chain.
 */
export function addGradientNoise(options: GradientNoiseOptions = {}): Optimizer<GradientNoiseState> {
  const eta = options.eta ?? 0.01;
  const gamma = options.gamma ?? 0.55;
  const seed = options.seed ?? 0;
  checkNonNegative('addGradientNoise', 'eta', eta);
  checkNonNegative('addGradientNoise', 'gamma', gamma);
  checkInteger('addGradientNoise', 'seed', seed, -(2 ** 31));
  // The live generator of each state, reused while the state still holds the array it last wrote,
  // so that only the generator's 4-number state array is allocated per step.
  const live = new WeakMap<GradientNoiseState, { rng: Rng; written: RngState }>();
  return {
    name: 'addGradientNoise',
    settable: [],
    init: () => ({ rng: [...createRng(seed).state()] }),
    update(updates, state, _params, context) {
      let entry = live.get(state);
      if (entry === undefined || entry.written !== state.rng) {
        entry = { rng: restoreRng(state.rng), written: state.rng };
        live.set(state, entry);
      }
      const std = Math.sqrt(eta / (1 + context.step) ** gamma);
      const rng = entry.rng;
      const n = updates.length;
      for (let i = 0; i < n; i++) updates[i]! += rng.normal(0, std);
      const next = rng.state() as number[];
      state.rng = next;
      entry.written = next;
    },
    describe: () => ({ name: 'addGradientNoise', eta, gamma, seed }),
  };
}
