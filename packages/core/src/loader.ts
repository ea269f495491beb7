import type { Batch, Description } from './objective.js';

/**
 * Yields the batches of one epoch. In-memory loaders yield synchronously (views or gathered copies
 * into reused buffers, so a batch is only valid until the next one is requested); streamed loaders
 * yield asynchronously. `epoch` is 0-based; a seeded loader derives its order from seed and epoch
 * only, so a run resumed at any epoch sees the same batches.
 */
export interface Loader<TBatch = Batch> {
  /** Batches per epoch when the source is finite and known, else `undefined`. */
  readonly batchesPerEpoch: number | undefined;
  /** Samples per epoch when known. */
  readonly samples: number | undefined;
  /** Rows per batch (the last batch of an epoch may be shorter unless dropped). */
  readonly batchSize: number;
  epoch(epoch: number): Iterable<TBatch> | AsyncIterable<TBatch>;
  describe?(): Description;
}
