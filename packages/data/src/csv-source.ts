import { pipeline } from 'node:stream';
import type { Description } from '@downhill/core';
import { type CsvError, type InfoRecord, type Options, parse } from 'csv-parse';
import { cellValue } from './cell-value.js';
import { type ColumnLayout, type ColumnOptions, resolveColumns } from './columns.js';
import { DataError } from './data-error.js';
import type { InvalidRowPolicy, RowReader, RowSource } from './row-source.js';
import { inputName, openInput, type SourceInput } from './source-input.js';

export interface CsvSourceOptions extends ColumnOptions {
  /** A path, a `file:` URL, or a function opening a new stream for every pass. */
  readonly input: SourceInput;
  /** Name for errors when `input` is a stream (default: the path, or `<stream>`). */
  readonly name?: string;
  /** The first line holds column names (default false). */
  readonly header?: boolean;
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
  /** Lines starting with this are comments (default: none). */
  readonly comment?: string;
  /** `error` (default) throws a {@link DataError}; `skip` drops the row and counts it. */
  readonly onInvalid?: InvalidRowPolicy;
}

function isCsvError(err: unknown): err is CsvError & { lines?: number; column?: unknown } {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

/**
 * Numeric rows from CSV, parsed by csv-parse (streaming, so a pass reads lazily and holds only a
 * few chunks). Every error names the file, line and column: a row with the wrong number of
 * fields, a non-numeric, empty or non-finite cell in a selected column, a broken quote.
 */
export function csvSource(options: CsvSourceOptions): RowSource {
  const name = inputName(options.input, options.name);
  const skip = options.onInvalid === 'skip';
  const used = { read: false };

  const open = (): RowReader => {
    let layout: ColumnLayout | undefined;
    let rows = 0;
    let skipped = 0;

    const invalid = (problem: string, line: number, column?: number): null => {
      if (skip) {
        skipped++;
        return null;
      }
      const field = column !== undefined ? layout?.names?.[column - 1] : undefined;
      throw new DataError(problem, { file: name, line, column, field });
    };

    const onRecord = (record: string[], info: InfoRecord): Float64Array | null => {
      const line = info.lines;
      if (layout === undefined) {
        const names = options.header ? record.map((n) => n.trim()) : undefined;
        layout = resolveColumns(options, { file: name, line, names, width: record.length });
        if (names) return null;
      }
      const { featureIndex, targetIndex, width } = layout;
      if (record.length !== width) {
        // The first extra field, or the first missing one.
        const column = Math.min(record.length, width) + 1;
        return invalid(`the row has ${record.length} fields, expected ${width}`, line, column);
      }
      const nf = featureIndex.length;
      const row = new Float64Array(nf + targetIndex.length);
      for (let k = 0; k < row.length; k++) {
        const c = k < nf ? featureIndex[k]! : targetIndex[k - nf]!;
        const v = cellValue(record[c]!);
        if (typeof v === 'string') return invalid(v, line, c + 1);
        row[k] = v;
      }
      rows++;
      return row;
    };

    async function* read(): AsyncGenerator<Float64Array> {
      const stream = await openInput(options.input, name, used);
      const parserOptions: Options<Float64Array, string[]> = {
        delimiter: options.delimiter ?? ',',
        ...(options.comment !== undefined ? { comment: options.comment } : {}),
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_error: skip,
        on_record: onRecord,
      };
      // The typings tie on_record to the string-record overload; the parser itself passes any value through.
      const parser = parse(parserOptions as unknown as Options);
      parser.on('skip', () => {
        skipped++;
      });
      // pipeline forwards a read error into the parser and closes both when the reader stops early.
      pipeline(stream, parser, () => undefined);
      try {
        for await (const row of parser) yield row as Float64Array;
      } catch (err) {
        if (isCsvError(err)) {
          const column = typeof err.column === 'number' ? err.column + 1 : undefined;
          throw new DataError(err.message, { file: name, line: err.lines, column }, { cause: err });
        }
        throw err;
      } finally {
        parser.destroy();
        stream.destroy();
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
    name: 'csv',
    file: name,
    header: options.header ?? false,
    delimiter: options.delimiter ?? ',',
    features: options.features ? [...options.features] : 'all but targets',
    targets: options.targets ?? 'last',
    onInvalid: options.onInvalid ?? 'error',
  });

  return { name, open, describe };
}
