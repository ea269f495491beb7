import type { Description } from '@downhill/core';
import { cellValue } from './cell-value.js';
import { type ColumnLayout, type ColumnOptions, resolveColumns } from './columns.js';
import { csvTextRecords } from './csv-text-records.js';
import { DataError } from './data-error.js';
import { checkMaxRecordSize } from './max-record-size.js';
import { MutableRowBlock } from './row-block.js';
import type { InvalidRowPolicy, RowBlock, RowReader, RowSource } from './row-source.js';

export interface CsvTextSourceOptions extends ColumnOptions {
  /** The CSV itself: a string in memory (an upload, `await response.text()` of a fetch ...). */
  readonly text: string;
  /** Name for errors (default `<csv text>`). */
  readonly name?: string;
  /** The first line holds column names (default false). */
  readonly header?: boolean;
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
  /** Lines starting with this are comments (default: none). */
  readonly comment?: string;
  /** `error` (default) throws a {@link DataError}; `skip` drops the row and counts it. */
  readonly onInvalid?: InvalidRowPolicy;
  /** Longest record accepted, in characters; default 1 MiB (`Infinity`: no limit). */
  readonly maxRecordSize?: number;
}

/**
 * Numeric rows from CSV text in memory, with the options and errors of `csvSource` (file, line,
 * column and field in every message). It needs no Node module, so it is the CSV reader of
 * `@downhill/data` in the browser.
 */
export function csvTextSource(options: CsvTextSourceOptions): RowSource {
  const name = options.name ?? '<csv text>';
  const skip = options.onInvalid === 'skip';
  const maxRecordSize = checkMaxRecordSize('csvTextSource', options.maxRecordSize);
  const delimiter = options.delimiter ?? ',';
  for (const key of ['delimiter', 'comment'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || /[\r\n"]/.test(value))) {
      throw new RangeError(
        `csvTextSource: ${key} must be a non-empty string without quotes or line breaks, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (typeof options.text !== 'string') throw new TypeError('csvTextSource: text must be a string');

  const open = (): RowReader => {
    let layout: ColumnLayout | undefined;
    let rows = 0;
    let skipped = 0;

    async function* read(): AsyncGenerator<RowBlock> {
      let block: MutableRowBlock | undefined;
      for (const { fields, line } of csvTextRecords(options.text, {
        name,
        delimiter,
        comment: options.comment,
        maxRecordSize,
      })) {
        if (layout === undefined) {
          const names = options.header ? fields.map((f) => f.trim()) : undefined;
          layout = resolveColumns(options, { file: name, line, names, width: fields.length });
          block = new MutableRowBlock(layout.featureIndex.length + layout.targetIndex.length);
          if (names) continue;
        }
        const { featureIndex, targetIndex, width } = layout;
        const b = block!;
        let problem: { text: string; column: number } | undefined;
        if (fields.length !== width) {
          problem = {
            text: `the row has ${fields.length} fields, expected ${width}`,
            column: Math.min(fields.length, width) + 1,
          };
        } else {
          const nf = featureIndex.length;
          let o = b.rows * b.width;
          for (let k = 0; k < b.width; k++) {
            const c = k < nf ? featureIndex[k]! : targetIndex[k - nf]!;
            const v = cellValue(fields[c]!);
            if (typeof v === 'string') {
              problem = { text: v, column: c + 1 };
              break;
            }
            b.values[o++] = v;
          }
        }
        if (problem) {
          if (!skip) {
            const field = layout.names?.[problem.column - 1];
            throw new DataError(problem.text, { file: name, line, column: problem.column, field });
          }
          skipped++;
          continue;
        }
        b.rows++;
        rows++;
        if (b.full) {
          yield b;
          b.rows = 0;
        }
      }
      if (block !== undefined && block.rows > 0) {
        yield block;
        block.rows = 0;
      }
    }

    return {
      get layout() {
        return layout;
      },
      get rows() {
        return rows;
      },
      get skipped() {
        return skipped;
      },
      [Symbol.asyncIterator]: read,
    };
  };

  const describe = (): Description => ({
    name: 'csv-text',
    file: name,
    header: options.header ?? false,
    delimiter,
    features: options.features ? [...options.features] : 'all but targets',
    targets: options.targets ?? 'last',
    onInvalid: options.onInvalid ?? 'error',
  });

  return { name, open, describe };
}
