import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
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

/** The error for `text` read from a file and from a stream; both must agree on line and column. */
async function errorAt(text: string, line: number, column: number, options: Record<string, unknown> = {}) {
  const path = tempFile(text, 'jsonl');
  const fromFile = await errorOf(readJsonLines({ input: path, ...options }));
  const fromStream = await errorOf(
    readJsonLines({ input: textStream(text, 3), name: 'in.jsonl', ...options }),
  );
  expect(fromFile.message.startsWith(`${path}: line ${line}, column ${column}`)).toBe(true);
  expect(fromStream.message.startsWith(`in.jsonl: line ${line}, column ${column}`)).toBe(true);
  expect([fromFile.line, fromFile.column]).toEqual([line, column]);
  return fromFile;
}

describe('readJsonLines', () => {
  it('reads objects by field name and arrays by index', async () => {
    const objects = await readJsonLines({
      input: tempFile('{"a":1,"b":2,"y":3}\n\n{"a":4,"b":5,"y":6}\r\n', 'jsonl'),
      features: ['b', 'a'],
      targets: 'y',
    });
    expect(Array.from(objects.x.data)).toEqual([2, 1, 5, 4]);
    expect(Array.from(objects.y.data)).toEqual([3, 6]);
    expect(objects.featureNames).toEqual(['b', 'a']);
    const arrays = await readJsonLines({ input: textStream('[1,2,3]\n[4,5,6]'), targets: [0] });
    expect(Array.from(arrays.x.data)).toEqual([2, 3, 5, 6]);
    expect(Array.from(arrays.y.data)).toEqual([1, 4]);
  });

  it('ignores a byte order mark', async () => {
    const ds = await readJsonLines({ input: textStream('\uFEFF{"a":1,"y":2}\n', 1), targets: 'y' });
    expect(ds.featureNames).toEqual(['a']);
  });

  it('names file, line and character of invalid JSON', async () => {
    const err = await errorAt('[1,2]\n[3,4]\n[5,,6]\n', 3, 4);
    expect(err.message).toMatch(/invalid JSON/);
  });

  it('names file, line, column and field of a non-numeric, missing or non-finite value', async () => {
    const text = '{"a":1,"y":2}\n{"a":"3","y":4}\n';
    expect((await errorAt(text, 2, 1)).message).toMatch(/\("a"\): non-numeric value "3"$/);
    expect((await errorAt('{"a":1,"y":2}\n{"a":1}\n', 2, 2)).message).toMatch(/\("y"\): missing field$/);
    expect((await errorAt('{"a":1,"y":2}\n{"a":null,"y":2}\n', 2, 1)).message).toMatch(/missing value$/);
    expect((await errorAt('[1,2]\n[1e999,2]\n', 2, 1)).message).toMatch(/non-finite value Infinity$/);
  });

  it('names file, line and column of malformed rows', async () => {
    expect((await errorAt('[1,2]\n[3,4,5]\n', 2, 3)).message).toMatch(/the row has 3 values, expected 2/);
    expect((await errorAt('[1,2]\n{"a":1}\n', 2, 1)).message).toMatch(
      /expected a JSON array like the first row/,
    );
    expect((await errorAt('[1,2]\n42\n', 2, 1)).message).toMatch(/expected a JSON array or object/);
  });

  it('skips and counts invalid rows on request', async () => {
    const ds = await readJsonLines({
      input: textStream('[1,2]\n[x]\n[3]\n[4,"5"]\n[6,7]\n'),
      onInvalid: 'skip',
    });
    expect(Array.from(ds.x.data)).toEqual([1, 6]);
    expect(ds.skipped).toBe(3);
  });

  it('names the path of a missing file', async () => {
    const err = await errorOf(readJsonLines({ input: '/no/such/rows.jsonl' }));
    expect(err.message).toMatch(/^\/no\/such\/rows\.jsonl: file not found: \/no\/such\/rows\.jsonl$/);
  });
});
