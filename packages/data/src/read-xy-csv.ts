import type { DType } from './dataset.js';
import { readCsv } from './read-csv.js';
import type { ReadDataset } from './read-rows.js';

/**
 * Reads a two-column CSV without header, `x,y` per line (like the seed article's `data.csv` of
 * 100 points), as a dataset with one feature and one target.
 */
export function readXYCsv(path: string | URL, options: { dtype?: DType } = {}): Promise<ReadDataset> {
  return readCsv({ input: path, header: false, features: [0], targets: [1], ...options });
}
