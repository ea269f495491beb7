import type { RowBlock } from './row-source.js';

/** Rows per block a source fills before handing it over. */
export const BLOCK_ROWS = 512;

/** A reusable block a source fills row by row. */
export class MutableRowBlock implements RowBlock {
  values: Float64Array;
  rows = 0;

  constructor(
    readonly width: number,
    readonly capacity = BLOCK_ROWS,
  ) {
    this.values = new Float64Array(capacity * width);
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }
}
