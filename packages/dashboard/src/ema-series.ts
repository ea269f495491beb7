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
  #bias = 1;

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
    const from = this.values.length;
    if (from >= length) return this.values.data;
    this.values.reserve(length);
    // One tight loop over locals writing straight into the buffer: a million points in a few ms.
    const out = this.values.data;
    const w = this.#weight;
    let last = this.#last;
    let count = this.#count;
    let allEqual = this.#allEqual;
    let bias = this.#bias;
    let first = from === 0 ? source[0]! : this.#first;
    for (let i = from; i < length; i++) {
      const y = source[i]!;
      if (y !== first) allEqual = false;
      if (!Number.isFinite(y)) {
        out[i] = y;
        continue;
      }
      last = last * w + (1 - w) * y;
      count++;
      bias *= w; // w^count
      // A constant series is drawn as it is (as emaSmooth does): no rounding wiggle.
      out[i] = allEqual ? y : w === 1 ? last : last / (1 - bias);
    }
    first = from === 0 ? source[0]! : first;
    this.#first = first;
    this.#last = last;
    this.#count = count;
    this.#allEqual = allEqual;
    this.#bias = bias;
    this.values.setLength(length);
    return out;
  }

  #reset(weight: number): void {
    this.#weight = weight;
    this.#last = 0;
    this.#count = 0;
    this.#allEqual = true;
    this.#first = Number.NaN;
    this.#bias = 1;
    (this as { values: GrowableArray }).values = new GrowableArray();
  }
}

/** Smoothing weights live in [0, 1): 0 draws the raw line. */
export function checkSmoothing(weight: number): number {
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`smoothing must be in [0, 1], got ${weight}`);
  return weight;
}
