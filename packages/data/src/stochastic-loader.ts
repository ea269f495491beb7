import type { Dataset } from './dataset.js';
import { type InMemoryLoader, miniBatchLoader } from './mini-batch-loader.js';

/**
 * Stochastic gradient descent: batches of one sample, a new seeded order every epoch, each
 * sample once per epoch (sampling without replacement).
 */
export function stochasticLoader(dataset: Dataset, options: { seed?: number } = {}): InMemoryLoader {
  return miniBatchLoader(dataset, { batchSize: 1, shuffle: true, ...options });
}
