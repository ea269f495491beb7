import { pipeline, type Readable } from 'node:stream';
import type { Description } from '@downhill/core';
import { type CsvError, type Info, type Options, type Parser, parse } from 'csv-parse';
import { cellValue } from './cell-value.js';
import { type ColumnLayout, type ColumnOptions, resolveColumns } from './columns.js';
import { DataError } from './data-error.js';
import { checkMaxRecordSize, recordTooLong } from './max-record-size.js';
import { MutableRowBlock } from './row-block.js';
import type { InvalidRowPolicy, RowBlock, RowReader, RowSource } from './row-source.js';
import { inputName, openInput, type SourceInput } from './source-input.js';

export interface CsvSourceOptions extends ColumnOptions {
  /** A path, a `file:` URL, or a function opening a new stream (with the same data) for every pass. */
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
  /**
   * Longest record (line) accepted, in characters; default {@link DEFAULT_MAX_RECORD_SIZE} (1 MiB).
   * A longer one is a {@link DataError} naming the file, line and limit, found after reading
   * about that much: a file that is one endless line costs bounded memory and time.
   * `Infinity` lifts the limit.
   */
  readonly maxRecordSize?: number;
}

type CsvParseError = CsvError & { lines?: number; column?: unknown };

function isCsvError(err: unknown): err is CsvParseError {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE');
}

/** A record problem found in the fast path, before its line is known. */
interface Problem {
  readonly problem: string;
  readonly record: number;
  readonly column: number | undefined;
}

/**
 * Pulls records from the parser synchronously while it has some, and waits for `readable` only
 * when it is empty: one await per chunk rather than per record.
 */
async function* records(parser: Parser): AsyncGenerator<unknown[]> {
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  parser.on('readable', signal);
  parser.on('end', () => {
    ended = true;
    signal();
  });
  parser.on('error', (err) => {
    failure ??= err;
    signal();
  });
  const batch: unknown[] = [];
  for (;;) {
    batch.length = 0;
    for (let item = parser.read(); item !== null; item = parser.read()) batch.push(item);
    if (batch.length > 0) yield batch;
    if (failure !== undefined) throw failure;
    if (ended || parser.readableEnded) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

/**
 * Numeric rows from CSV, parsed by csv-parse as a stream, so a pass reads lazily and holds only a
 * few chunks. Every error names the file, line and column: a row with the wrong number of fields,
 * a non-numeric, empty or non-finite cell in a selected column, a broken quote. (For speed the
 * parser does not track lines per record; when a row is bad, a file or stream factory is
 * re-parsed up to that record to find its line. A one-shot stream tracks lines throughout.)
 */
export function csvSource(options: CsvSourceOptions): RowSource {
  const name = inputName(options.input, options.name);
  const skip = options.onInvalid === 'skip';
  const reopenable = typeof options.input !== 'object' || options.input instanceof URL;
  const used = { read: false };
  for (const key of ['delimiter', 'comment'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || /[\r\n"]/.test(value))) {
      throw new RangeError(
        `csvSource: ${key} must be a non-empty string without quotes or line breaks, got ${JSON.stringify(value)}`,
      );
    }
  }
  const maxRecordSize = checkMaxRecordSize('csvSource', options.maxRecordSize);
  const baseOptions: Options = {
    max_record_size: Number.isFinite(maxRecordSize) ? maxRecordSize : 0,
    // A UTF-8 byte order mark would otherwise become part of the first column's name.
    bom: true,
    delimiter: options.delimiter ?? ',',
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: skip,
  };

  /** The line record `index` (0-based, header included) ends on, found by parsing again. */
  const locate = async (index: number): Promise<number | undefined> => {
    const stream = await openInput(options.input, name, used);
    const parser = parse({ ...baseOptions, info: true });
    pipeline(stream, parser, () => undefined);
    let i = 0;
    try {
      for await (const item of parser) {
        if (i++ === index) return (item as { info: Info }).info.lines;
      }
    } finally {
      parser.destroy();
      stream.destroy();
    }
    return undefined;
  };

  const open = (): RowReader => {
    let layout: ColumnLayout | undefined;
    let rows = 0;
    let skipped = 0;
    let block: MutableRowBlock | undefined;

    const fail = async (p: Problem, line: number | undefined): Promise<never> => {
      const where = line ?? (reopenable ? await locate(p.record) : undefined);
      const field = p.column !== undefined ? layout?.names?.[p.column - 1] : undefined;
      throw new DataError(p.problem, { file: name, line: where, column: p.column, field });
    };

    /** Converts one record into the block, or returns what is wrong with it. */
    const convert = (record: string[], index: number): Problem | undefined => {
      const { featureIndex, targetIndex, width } = layout!;
      if (record.length !== width) {
        // The first extra field, or the first missing one.
        const column = Math.min(record.length, width) + 1;
        return { problem: `the row has ${record.length} fields, expected ${width}`, record: index, column };
      }
      const b = block!;
      const values = b.values;
      const nf = featureIndex.length;
      let o = b.rows * b.width;
      for (let k = 0; k < b.width; k++) {
        const c = k < nf ? featureIndex[k]! : targetIndex[k - nf]!;
        const v = cellValue(record[c]!);
        if (typeof v === 'string') return { problem: v, record: index, column: c + 1 };
        values[o++] = v;
      }
      b.rows++;
      rows++;
      return undefined;
    };

    async function* read(): AsyncGenerator<RowBlock> {
      const stream: Readable = await openInput(options.input, name, used);
      const withInfo = !reopenable && !skip;
      const parser = parse({ ...baseOptions, ...(withInfo ? { info: true } : {}) });
      parser.on('skip', () => {
        skipped++;
      });
      // pipeline forwards a read error into the parser and closes both when the reader stops early.
      pipeline(stream, parser, () => undefined);
      let index = 0;
      try {
        for await (const batch of records(parser)) {
          for (const item of batch) {
            const record = (withInfo ? (item as { record: string[] }).record : item) as string[];
            const line = withInfo ? (item as { info: Info }).info.lines : undefined;
            const i = index++;
            if (layout === undefined) {
              const names = options.header ? record.map((n) => n.trim()) : undefined;
              try {
                layout = resolveColumns(options, {
                  file: name,
                  line: line ?? 0,
                  names,
                  width: record.length,
                });
              } catch (err) {
                if (!(err instanceof DataError)) throw err;
                await fail({ problem: err.problem, record: i, column: undefined }, line);
              }
              block = new MutableRowBlock(layout!.featureIndex.length + layout!.targetIndex.length);
              if (names) continue;
            }
            const problem = convert(record, i);
            if (problem !== undefined) {
              if (skip) skipped++;
              else await fail(problem, line);
            }
            if (block!.full) {
              yield block!;
              block!.rows = 0;
            }
          }
        }
        if (block !== undefined && block.rows > 0) {
          yield block;
          block.rows = 0;
        }
      } catch (err) {
        if (isCsvError(err) && err.code === 'CSV_MAX_RECORD_SIZE') {
          throw new DataError(recordTooLong(maxRecordSize), { file: name, line: err.lines }, { cause: err });
        }
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
