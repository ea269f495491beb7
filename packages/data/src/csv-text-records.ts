import { DataError } from './data-error.js';
import { recordTooLong } from './max-record-size.js';

/** One CSV record and the line it starts on (1-based). */
export interface CsvTextRecord {
  readonly fields: string[];
  readonly line: number;
}

export interface CsvTextOptions {
  /** Name for errors. */
  readonly name: string;
  readonly delimiter: string;
  /** Lines starting with this are skipped. */
  readonly comment: string | undefined;
  /** Longest record in characters (`Infinity`: no limit). */
  readonly maxRecordSize: number;
}

/**
 * Splits CSV text into records (RFC 4180: quoted fields with `""` escapes and line breaks inside,
 * LF, CRLF or CR line ends, a leading byte order mark dropped), skipping empty and comment lines.
 * Plain string scanning, no Node streams or buffers: it runs in browsers as it does in Node.
 * A broken quote or a record over `maxRecordSize` is a {@link DataError} with the line.
 */
export function* csvTextRecords(text: string, options: CsvTextOptions): Generator<CsvTextRecord> {
  const { name, delimiter, comment, maxRecordSize } = options;
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const newline = (at: number): number =>
    text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1;
  const isBreak = (c: number): boolean => c === 10 || c === 13;
  while (i < n) {
    // Empty lines and comment lines hold no record.
    if (isBreak(text.charCodeAt(i))) {
      i += newline(i);
      line++;
      continue;
    }
    if (comment !== undefined && text.startsWith(comment, i)) {
      while (i < n && !isBreak(text.charCodeAt(i))) i++;
      continue;
    }
    const startLine = line;
    const start = i;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === 34) {
        // A quoted field: up to the closing quote, "" standing for one quote.
        let value = '';
        let from = ++i;
        for (;;) {
          const q = text.indexOf('"', i);
          const end = q < 0 ? n : q;
          for (let k = i; k < end; k++) {
            if (text.charCodeAt(k) === 10 || (text.charCodeAt(k) === 13 && text.charCodeAt(k + 1) !== 10))
              line++;
          }
          if (end - start > maxRecordSize)
            throw new DataError(recordTooLong(maxRecordSize), { file: name, line: startLine });
          if (q < 0) {
            throw new DataError('a quoted field is not closed before the end of the data', {
              file: name,
              line: startLine,
              column: fields.length + 1,
            });
          }
          if (text.charCodeAt(q + 1) === 34) {
            value += text.slice(from, q + 1);
            i = q + 2;
            from = i;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        const after = text.charCodeAt(i);
        if (i < n && !isBreak(after) && !text.startsWith(delimiter, i)) {
          throw new DataError(`unexpected character ${JSON.stringify(text[i])} after a closing quote`, {
            file: name,
            line,
            column: fields.length + 1,
          });
        }
        field = value;
      } else {
        let end = i;
        while (end < n && !isBreak(text.charCodeAt(end)) && !text.startsWith(delimiter, end)) end++;
        field = text.slice(i, end);
        i = end;
      }
      if (i - start > maxRecordSize)
        throw new DataError(recordTooLong(maxRecordSize), { file: name, line: startLine });
      fields.push(field);
      if (i < n && text.startsWith(delimiter, i)) {
        i += delimiter.length;
        continue;
      }
      break;
    }
    if (i < n) {
      i += newline(i);
      line++;
    }
    yield { fields, line: startLine };
  }
}
