import { deriveSeed } from '@downhill/core';

/** Stream tags, so that a sampler's draws and a trial's own seed never share a generator. */
export const SAMPLER_STREAM = 0x5a3e_01;
export const TRIAL_STREAM = 0x5a3e_02;

/**
 * The seed of trial `index` in a stream. The seed is mixed with the stream tag before the index
 * enters: `deriveSeed(seed, index)` alone starts from `seed ^ index`, so seed 1 would replay the
 * trials of seed 0 in another order (1 ^ i = 0 ^ (i ^ 1)) and averages over seeds would not be
 * independent.
 */
export function trialSeed(seed: number, stream: number, index: number): number {
  return deriveSeed(seed, stream, index);
}
