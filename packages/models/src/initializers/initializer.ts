import type { Rng } from '@downhill/core';

/** Fan-in (inputs per unit) and fan-out (units) of the block being filled. */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/**
 * Fills a block of parameters (a view into the flat vector) from a seeded RNG. Same seed, same
 * values: initialisation is part of what a run's seed fixes.
 */
export interface Initializer {
  readonly name: string;
  fill(out: Float64Array, fans: Fans, rng: Rng): void;
}
