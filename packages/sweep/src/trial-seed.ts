import { deriveSeed } from '@downhill/core';

/** Stream tags, so that a sampler's draws and a trial's own seed never share a generator. */
export const SAMPLER_STREAM = 0x5a3e_01;
export const TRIAL_STREAM = 0x5a3e_02;

/**
 * The seed of trial `index` in a stream: the sweep's seed, a stream tag (a sampler's draws and a
 * trial's own seed never share a generator), then the index. Neighbouring sweep seeds give
 * unrelated trial seeds, so that averages over seeds are independent.
 */
export function trialSeed(seed: number, stream: number, index: number): number {
  return deriveSeed(seed, stream, index);
}
