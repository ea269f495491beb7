import type { Dataset } from './dataset.js';
import { type InMemoryLoader, miniBatchLoader } from './mini-batch-loader.js';

/**
 * Batch gradient descent: one batch per epoch holding every sample. Unshuffled (the mean gradient
 * does not depend on the order), so the batch is the dataset's own matrices, with no copy.
 */
export function fullBatchLoader(dataset: Dataset): InMemoryLoader {
  return miniBatchLoader(dataset, { batchSize: dataset.x.rows, shuffle: false });
}
