import type { Description } from '@downhill/core';
import type { ColumnLayout } from './columns.js';

/**
 * A block of valid rows: `rows` rows of `width` values each, row-major in `values`, every row its
 * feature values followed by its target values. A reader reuses one block for a whole pass: it
 * is valid until the next block is requested.
 */
export interface RowBlock {
  readonly values: Float64Array;
  readonly rows: number;
  readonly width: number;
}

/**
 * One pass over a source, yielding blocks of rows (blocks rather than single rows keep the
 * per-row cost of asynchronous iteration out of the hot path).
 */
export interface RowReader extends AsyncIterable<RowBlock> {
  /** Known once the header or the first row has been read. */
  readonly layout: ColumnLayout | undefined;
  /** Valid rows read so far. */
  readonly rows: number;
  /** Invalid rows skipped so far (with `onInvalid: 'skip'`). */
  readonly skipped: number;
}

/** A re-readable source of numeric rows: every `open()` starts a new pass from the beginning. */
export interface RowSource {
  /** The file path or the name given for a stream: the `file` of every error. */
  readonly name: string;
  open(): RowReader;
  describe(): Description;
}

/** What to do with a malformed row, a non-numeric cell or a non-finite value. */
export type InvalidRowPolicy = 'error' | 'skip';
