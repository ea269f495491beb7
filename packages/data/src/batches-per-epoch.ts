/**
 * Batches in one epoch: `ceil(samples / batchSize)`, or `floor` when the last short batch is
 * dropped (10,000 samples at batch 32: 313 batches, 312 with drop-last).
 */
export function batchesPerEpoch(samples: number, batchSize: number, dropLast = false): number {
  if (!Number.isInteger(samples) || samples < 0)
    throw new RangeError(`batchesPerEpoch: samples must be a non-negative integer, got ${samples}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchesPerEpoch: batchSize must be an integer >= 1, got ${batchSize}`);
  return dropLast ? Math.floor(samples / batchSize) : Math.ceil(samples / batchSize);
}
