import type { Loader } from '@downhill/core';

/** A loader that remembers the batch it yielded last, and how to read it. */
export interface TrackedLoader<TBatch> {
  readonly loader: Loader<TBatch>;
  /** The batch yielded last: during a step, the batch that step's gradient came from. */
  readonly current: () => TBatch;
}

/**
 * Wraps `loader` so that an optimizer that evaluates the objective a second time in a step (SAM)
 * can use the step's own batch: the run loop takes a batch, evaluates the gradient on it and
 * updates before it asks for the next one, so the batch yielded last is the step's. Sizes,
 * order and description are the loader's.
 */
export function trackCurrentBatch<TBatch>(loader: Loader<TBatch>): TrackedLoader<TBatch> {
  let current: TBatch | undefined;
  let seen = false;
  function* track(batches: Iterable<TBatch>): Generator<TBatch> {
    for (const batch of batches) {
      current = batch;
      seen = true;
      yield batch;
    }
  }
  async function* trackAsync(batches: AsyncIterable<TBatch>): AsyncGenerator<TBatch> {
    for await (const batch of batches) {
      current = batch;
      seen = true;
      yield batch;
    }
  }
  const tracked: Loader<TBatch> = {
    batchesPerEpoch: loader.batchesPerEpoch,
    samples: loader.samples,
    batchSize: loader.batchSize,
    epoch(epoch) {
      const batches = loader.epoch(epoch);
      return Symbol.asyncIterator in batches ? trackAsync(batches) : track(batches);
    },
    ...(loader.describe ? { describe: () => loader.describe!() } : {}),
  };
  return {
    loader: tracked,
    current: () => {
      if (!seen) throw new RangeError('no batch has been taken yet: the current batch is read during a step');
      return current as TBatch;
    },
  };
}
