import { GrowableArray } from './growable-array.js';

/**
 * The debiased exponential moving average TensorBoard draws, kept up to date incrementally for a
 * growing series: `last = w * last + (1 - w) * y` over the finite points, shown as
 * `last / (1 - w^k)` after k finite points (the division removes the bias towards the initial 0);
 * non-finite points pass through and do not advance the average. Core's `emaSmooth` computes the
 * same over a whole array; a live chart cannot afford that for every frame of a million-step run,
 * so this one only smooths the points appended since the last call.
 */
export class EmaSeries {
  readonly values = new GrowableArray();
  #weight: number;
  #last = 0;
  #count = 0;
  #allEqual = true;
  #first = Number.NaN;

  constructor(weight: number) {
    this.#weight = checkSmoothing(weight);
  }

  get weight(): number {
    return this.#weight;
  }

  /** Smooths `source[values.length .. length)`; restarts from scratch when `weight` changed. */
  update(source: ArrayLike<number>, length: number, weight = this.#weight): Float64Array {
    checkSmoothing(weight);
    if (weight !== this.#weight || length < this.values.length) this.#reset(weight);
    const w = this.#weight;
    for (let i = this.values.length; i < length; i++) {
      const y = source[i]!;
      if (i === 0) this.#first = y;
      else if (y !== this.#first) this.#allEqual = false;
      if (!Number.isFinite(y)) {
        this.values.push(y);
        continue;
      }
      this.#last = this.#last * w + (1 - w) * y;
      this.#count++;
      // A constant series is drawn as it is (as emaSmooth does): no rounding wiggle.
      this.values.push(this.#allEqual ? y : w === 1 ? this.#last : this.#last / (1 - w ** this.#count));
    }
    return this.values.data;
  }

  #reset(weight: number): void {
    this.#weight = weight;
    this.#last = 0;
    this.#count = 0;
    this.#allEqual = true;
    this.#first = Number.NaN;
    (this as { values: GrowableArray }).values = new GrowableArray();
  }
}

/** Smoothing weights live in [0, 1): 0 draws the raw line. */
export function checkSmoothing(weight: number): number {
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`smoothing must be in [0, 1], got ${weight}`);
  return weight;
}
