import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { DEFAULT_MAX_RECORD_SIZE } from './max-record-size.js';
import { readCsv } from './read-csv.js';
import { readJsonLines } from './read-json-lines.js';
import { tempFile, textStream } from './test-files.js';

async function errorOf(promise: Promise<unknown>): Promise<DataError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  return err as DataError;
}

const limitText = (n: number) =>
  `the record is longer than ${n} characters (the maxRecordSize limit; raise it to read longer records)`;

/**
 * A 1 GiB file whose `prefix` is followed by `body` and then zero bytes up to 1 GiB (a sparse file:
 * it takes no disk space, but every byte of it is read like any other).
 */
async function hugeFile(prefix: string, body: string, ext: string): Promise<string> {
  const path = tempFile(prefix + body, ext);
  const handle = await open(path, 'r+');
  await handle.truncate(2 ** 30);
  await handle.close();
  return path;
}

/** Runs `read` while sampling the process's resident memory; returns the error and the peak growth. */
async function withPeakRss(read: () => Promise<unknown>): Promise<{ error: DataError; growth: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const error = await errorOf(read());
    peak = Math.max(peak, process.memoryUsage.rss());
    return { error, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

describe('maximum record size', () => {
  it('CSV: a record over the limit names the file, line and limit, for files and streams', async () => {
    const text = `a,b\n1,2\n${'3'.repeat(40)},4\n5,6\n`;
    const path = tempFile(text);
    for (const input of [path, () => textStream(text, 7), textStream(text, 7)]) {
      const err = await errorOf(readCsv({ input, name: 'long.csv', header: true, maxRecordSize: 20 }));
      expect(err.message).toBe(`long.csv: line 3: ${limitText(20)}`);
      expect(err.line).toBe(3);
    }
    // Raised, the same file reads.
    const data = await readCsv({ input: path, header: true, maxRecordSize: 64 });
    expect(data.x.rows).toBe(3);
  });

  it('CSV: a quoted field over the limit is refused the same way', async () => {
    const text = `1,2\n3,"${'9'.repeat(100)}"\n`;
    const err = await errorOf(readCsv({ input: tempFile(text), maxRecordSize: 50 }));
    expect(err.message).toMatch(/\.csv: line 2: the record is longer than 50 characters/);
  });

  it('JSON Lines: a line over the limit names the file, line and limit, whole or still arriving', async () => {
    const text = `[1,2]\n[3,4]\n[${'5'.repeat(60)},6]\n[7,8]\n`;
    for (const input of [tempFile(text, 'jsonl'), () => textStream(text, 3), textStream(text, 50)]) {
      const err = await errorOf(readJsonLines({ input, name: 'long.jsonl', maxRecordSize: 20 }));
      expect(err.message).toBe(`long.jsonl: line 3: ${limitText(20)}`);
    }
    // An unterminated last line over the limit too.
    const err = await errorOf(
      readJsonLines({
        input: textStream(`[1,2]\n[${'3'.repeat(60)}`, 4),
        name: 'tail.jsonl',
        maxRecordSize: 20,
      }),
    );
    expect(err.message).toBe(`tail.jsonl: line 2: ${limitText(20)}`);
    const data = await readJsonLines({ input: tempFile(text, 'jsonl'), maxRecordSize: 80 });
    expect(data.x.rows).toBe(4);
  });

  it('a directory given as the data file is named as such', async () => {
    const dir = tempFile('').replace(/[^/]+$/, '');
    const err = await errorOf(readCsv({ input: dir }));
    expect(err.message).toBe(`${dir}: a directory, not a data file`);
  });

  it('checks the option', () => {
    expect(() => readCsv({ input: 'x.csv', maxRecordSize: 0 })).toThrow(
      'csvSource: maxRecordSize must be a positive integer or Infinity, got 0',
    );
    expect(() => readJsonLines({ input: 'x.jsonl', maxRecordSize: 1.5 })).toThrow(
      'jsonLinesSource: maxRecordSize must be a positive integer or Infinity, got 1.5',
    );
  });

  it('a 1 GiB CSV that is one line is refused after about the limit, in bounded memory', async () => {
    const path = await hugeFile('x,y\n1,2\n', '1234567,'.repeat(1 << 19), 'csv');
    const { error, growth } = await withPeakRss(() => readCsv({ input: path, header: true }));
    expect(error.message).toBe(`${path}: line 3: ${limitText(DEFAULT_MAX_RECORD_SIZE)}`);
    // The whole line would be 1 GiB as bytes and twice that as a string; the parser holds ~1 MiB.
    expect(growth).toBeLessThan(64 * 2 ** 20);
  });

  it('a 1 GiB JSON Lines file that is one line is refused after about the limit, in bounded memory', async () => {
    const path = await hugeFile('[1,2]\n[', '1234567,'.repeat(1 << 19), 'jsonl');
    const { error, growth } = await withPeakRss(() => readJsonLines({ input: path }));
    expect(error.message).toBe(`${path}: line 2: ${limitText(DEFAULT_MAX_RECORD_SIZE)}`);
    expect(growth).toBeLessThan(64 * 2 ** 20);
  });
});
