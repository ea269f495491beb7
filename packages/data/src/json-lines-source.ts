import type { Description } from '@downhill/core';
import { type ParseError, printParseErrorCode, visit } from 'jsonc-parser';
import { jsonValue } from './cell-value.js';
import { type ColumnLayout, type ColumnOptions, resolveColumns } from './columns.js';
import { DataError } from './data-error.js';
import { checkMaxRecordSize, recordTooLong } from './max-record-size.js';
import { MutableRowBlock } from './row-block.js';
import type { InvalidRowPolicy, RowBlock, RowReader, RowSource } from './row-source.js';
import { inputName, openInput, type SourceInput } from './source-input.js';

export interface JsonLinesSourceOptions extends ColumnOptions {
  /** A path, a `file:` URL, or a function opening a new stream for every pass. */
  readonly input: SourceInput;
  /** Name for errors when `input` is a stream (default: the path, or `<stream>`). */
  readonly name?: string;
  /** `error` (default) throws a {@link DataError}; `skip` drops the row and counts it. */
  readonly onInvalid?: InvalidRowPolicy;
  /**
   * Longest line accepted, in characters; default {@link DEFAULT_MAX_RECORD_SIZE} (1 MiB). A longer
   * one is a {@link DataError} naming the file, line and limit (never skipped: it is found before
   * the line is whole), in bounded memory and time. `Infinity` lifts the limit.
   */
  readonly maxRecordSize?: number;
}

/**
 * Where and why a line is not valid JSON. `JSON.parse` does not always say where it stopped, so the
 * failing line (only that one) is scanned again with jsonc-parser in strict mode, which reports
 * the offset of the first error.
 */
function jsonProblem(text: string, err: unknown): { problem: string; column: number | undefined } {
  const errors: ParseError[] = [];
  visit(
    text,
    { onError: (error, offset, length) => errors.push({ error, offset, length }) },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  const first = errors[0];
  const reason = first ? printParseErrorCode(first.error) : (err as Error).message;
  return {
    problem: `invalid JSON (${reason}): ${(err as Error).message}`,
    column: first ? first.offset + 1 : undefined,
  };
}

/**
 * Numeric rows from JSON Lines: one JSON value per line, either an array of numbers (columns by
 * index) or an object (columns by name; the first row's key order gives the indices). Blank lines
 * are ignored. Lines are split from the stream as it arrives and each is decoded by `JSON.parse`;
 * errors name the file, line and column (the character for bad JSON, the field otherwise).
 */
export function jsonLinesSource(options: JsonLinesSourceOptions): RowSource {
  const name = inputName(options.input, options.name);
  const skip = options.onInvalid === 'skip';
  const used = { read: false };
  const maxRecordSize = checkMaxRecordSize('jsonLinesSource', options.maxRecordSize);
  const tooLong = (line: number): never => {
    throw new DataError(recordTooLong(maxRecordSize), { file: name, line });
  };

  const open = (): RowReader => {
    let layout: ColumnLayout | undefined;
    let objects = false;
    let rows = 0;
    let skipped = 0;
    let block: MutableRowBlock | undefined;

    const invalid = (problem: string, line: number, column: number | undefined, field?: string): false => {
      if (skip) {
        skipped++;
        return false;
      }
      throw new DataError(problem, { file: name, line, column, field });
    };

    /** Decodes one line into the block; false when the row was skipped. */
    const decode = (text: string, line: number): boolean => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        const { problem, column } = jsonProblem(text, err);
        return invalid(problem, line, column);
      }
      const isArray = Array.isArray(value);
      if (!isArray && (typeof value !== 'object' || value === null)) {
        return invalid('expected a JSON array or object', line, 1);
      }
      if (layout === undefined) {
        objects = !isArray;
        const names = objects ? Object.keys(value as object) : undefined;
        const width = isArray ? (value as unknown[]).length : names!.length;
        layout = resolveColumns(options, { file: name, line, names, width });
        block = new MutableRowBlock(layout.featureIndex.length + layout.targetIndex.length);
      }
      if (isArray === objects) {
        return invalid(`expected a JSON ${objects ? 'object' : 'array'} like the first row`, line, 1);
      }
      const { featureIndex, targetIndex, width, names } = layout;
      if (isArray && (value as unknown[]).length !== width) {
        const length = (value as unknown[]).length;
        return invalid(`the row has ${length} values, expected ${width}`, line, Math.min(length, width) + 1);
      }
      const nf = featureIndex.length;
      const b = block!;
      const o = b.rows * b.width;
      for (let k = 0; k < b.width; k++) {
        const c = k < nf ? featureIndex[k]! : targetIndex[k - nf]!;
        let v: number | string;
        if (objects) {
          const key = names![c]!;
          const obj = value as Record<string, unknown>;
          v = Object.hasOwn(obj, key) ? jsonValue(obj[key]) : 'missing field';
        } else {
          v = jsonValue((value as unknown[])[c]);
        }
        if (typeof v === 'string') return invalid(v, line, c + 1, names?.[c]);
        b.values[o + k] = v;
      }
      b.rows++;
      rows++;
      return true;
    };

    async function* read(): AsyncGenerator<RowBlock> {
      const stream = await openInput(options.input, name, used);
      stream.setEncoding('utf8');
      let carry = '';
      let line = 0;
      try {
        // Pulling one chunk at a time and yielding rows in between is what gives backpressure.
        for await (const chunk of stream) {
          let text = carry + (chunk as string);
          // A UTF-8 byte order mark before the first line is not part of the JSON.
          if (line === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          let start = 0;
          for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            line++;
            if (end - start > maxRecordSize + 1) tooLong(line);
            const body = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
            start = end + 1;
            if (body.trim() === '') continue;
            if (decode(body, line) && block!.full) {
              yield block!;
              block!.rows = 0;
            }
          }
          carry = text.slice(start);
          // The line being assembled is already too long: stop before holding any more of it.
          if (carry.length > maxRecordSize + 1) tooLong(line + 1);
        }
        if (carry.trim() !== '') {
          decode(carry.endsWith('\r') ? carry.slice(0, -1) : carry, line + 1);
        }
        if (block !== undefined && block.rows > 0) {
          yield block;
          block.rows = 0;
        }
      } finally {
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
    name: 'json-lines',
    file: name,
    features: options.features ? [...options.features] : 'all but targets',
    targets: options.targets ?? 'last',
    onInvalid: options.onInvalid ?? 'error',
  });

  return { name, open, describe };
}
