/**
 * An append-only Float64Array that doubles its capacity when full, so a million-point history
 * costs amortised O(1) per point and one contiguous buffer (no per-point objects).
 */
export class GrowableArray {
  #data: Float64Array;
  #length = 0;

  constructor(initialCapacity = 256) {
    this.#data = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  /** The backing buffer; only the first `length` entries are meaningful. */
  get data(): Float64Array {
    return this.#data;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#length++] = value;
  }

  /** Makes room for `capacity` entries without changing `length`. */
  reserve(capacity: number): void {
    if (capacity <= this.#data.length) return;
    const next = new Float64Array(Math.max(capacity, this.#data.length * 2));
    next.set(this.#data.subarray(0, this.#length));
    this.#data = next;
  }

  /** Declares entries written straight into `data` (after `reserve`) as part of the array. */
  setLength(length: number): void {
    if (!(length >= 0 && length <= this.#data.length))
      throw new RangeError(
        `GrowableArray.setLength: length must be in [0, ${this.#data.length}], got ${length}`,
      );
    this.#length = length;
  }

  at(index: number): number {
    return this.#data[index]!;
  }

  last(): number {
    return this.#length === 0 ? Number.NaN : this.#data[this.#length - 1]!;
  }

  /** A copy of the meaningful entries. */
  toArray(): Float64Array {
    return this.#data.slice(0, this.#length);
  }
}
