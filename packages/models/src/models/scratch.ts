/**
 * A reusable Float64Array that grows (never shrinks) to the largest size requested, so objectives
 * allocate only when a bigger batch than any before arrives.
 */
export class Scratch {
  buffer: Float64Array = new Float64Array(0);

  ensure(length: number): Float64Array {
    if (this.buffer.length < length) this.buffer = new Float64Array(length);
    return this.buffer;
  }
}
