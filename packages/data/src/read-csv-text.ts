import { type CsvTextSourceOptions, csvTextSource } from './csv-text-source.js';
import { type ReadDataset, type ReadRowsOptions, readRows } from './read-rows.js';

/**
 * Reads CSV text into a dataset, in Node and in browsers:
 * `await readCsvText({ text: await (await fetch('houses.csv')).text(), header: true, targets: 'price' })`.
 */
export function readCsvText(options: CsvTextSourceOptions & ReadRowsOptions): Promise<ReadDataset> {
  return readRows(csvTextSource(options), options);
}
