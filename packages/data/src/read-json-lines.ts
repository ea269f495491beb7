import { type JsonLinesSourceOptions, jsonLinesSource } from './json-lines-source.js';
import { type ReadDataset, type ReadRowsOptions, readRows } from './read-rows.js';

/** Reads a whole JSON Lines file or stream into memory (see {@link jsonLinesSource}). */
export function readJsonLines(options: JsonLinesSourceOptions & ReadRowsOptions): Promise<ReadDataset> {
  return readRows(jsonLinesSource(options), options);
}
