import { type CsvSourceOptions, csvSource } from './csv-source.js';
import { type ReadDataset, type ReadRowsOptions, readRows } from './read-rows.js';

/**
 * Reads a whole CSV file or stream into memory, e.g.
 * `await readCsv({ input: 'houses.csv', header: true, targets: 'price', delimiter: ';' })`.
 */
export function readCsv(options: CsvSourceOptions & ReadRowsOptions): Promise<ReadDataset> {
  return readRows(csvSource(options), options);
}
