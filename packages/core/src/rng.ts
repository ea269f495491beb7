import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/** Serializable state of an {@link Rng}: resume a generator with `restoreRng(state)`. */
export type RngState = readonly number[];

/**
 * A seeded pseudo-random generator: xoroshiro128+ (Blackman & Vigna, 2016) from `pure-rand`.
 * Every random choice in Downhill (initialisation, shuffling, noise, synthetic data) goes through
 * one of these, so a seed fixes a run.
 */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform double in [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number;
  /** Standard normal (Box-Muller), scaled: mean + std * z. */
  normal(mean?: number, std?: number): number;
  /** Fisher-Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
  /** The generator's state; `restoreRng` continues the same sequence from it. */
  state(): RngState;
}

const TWO_POW_53 = 9007199254740992;

function wrap(gen: RandomGenerator): Rng {
  const next = (): number => {
    // 27 + 26 high bits of two outputs, as in the reference `genrand_res53`.
    const a = gen.unsafeNext() >>> 5;
    const b = gen.unsafeNext() >>> 6;
    return (a * 67108864 + b) / TWO_POW_53;
  };
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0 || n > 0x7fffffff) {
      throw new RangeError(`rng.int: n must be an integer in [1, 2^31 - 1], got ${n}`);
    }
    return unsafeUniformIntDistribution(0, n - 1, gen);
  };
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int,
    normal: (mean = 0, std = 1) => {
      // 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - next();
      const v = next();
      return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
    state: () => gen.getState(),
  };
}

/** A generator seeded with a 32-bit integer seed (other numbers are truncated to 32 bits). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`createRng: seed must be a finite number, got ${seed}`);
  return wrap(xoroshiro128plus(seed | 0));
}

/** A generator that continues from a saved `state()`. */
export function restoreRng(state: RngState): Rng {
  return wrap(xoroshiro128plus.fromState(state));
}

/** The murmur3 32-bit finaliser: a bijection that spreads every input bit over the output. */
function mix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * Derives an independent 32-bit seed from a seed and stream numbers (e.g. seed and epoch). The
 * seed is mixed before each stream number is combined with it, so that no simple relation between
 * inputs survives: `(seed 1, epoch 5)` and `(seed 0, epoch 4)` give unrelated streams (combining
 * `seed ^ epoch` first made them equal).
 */
export function deriveSeed(seed: number, ...streams: number[]): number {
  let h = mix32(Math.imul((seed | 0) ^ 0x5bd1e995, 0x9e3779b1) + 0x7f4a7c15);
  for (const s of streams) h = mix32(Math.imul(h ^ (s | 0), 0x9e3779b1) + 0x7f4a7c15);
  return h | 0;
}
