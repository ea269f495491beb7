import { deriveSeed } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { SAMPLER_STREAM, TRIAL_STREAM, trialSeed } from './trial-seed.js';

describe('trialSeed', () => {
  it('gives neighbouring sweep seeds and the two streams disjoint trial seeds', () => {
    const seeds = (seed: number, f: (s: number, i: number) => number) =>
      new Set(Array.from({ length: 1000 }, (_, i) => f(seed, i)));
    // What a seed ^ index combination once got wrong: seed 1's trial i was seed 0's trial i ^ 1.
    expect(deriveSeed(1, 5)).not.toBe(deriveSeed(0, 4));
    const a = seeds(0, (s, i) => trialSeed(s, SAMPLER_STREAM, i));
    const b = seeds(1, (s, i) => trialSeed(s, SAMPLER_STREAM, i));
    const c = seeds(0, (s, i) => trialSeed(s, TRIAL_STREAM, i));
    expect(a.size).toBe(1000);
    expect([...b].filter((x) => a.has(x))).toEqual([]);
    expect([...c].filter((x) => a.has(x))).toEqual([]);
  });
});
