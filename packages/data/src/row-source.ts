import type { Description } from '@downhill/core';
import type { ColumnLayout } from './columns.js';

/**
 * One pass over a source: yields each valid row as a `Float64Array` of its feature values followed
 * by its target values. The loaders copy every row straight away, so a source may reuse or drop it.
 */
export interface RowReader extends AsyncIterable<Float64Array> {
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
