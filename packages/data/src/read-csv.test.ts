import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { readCsv } from './read-csv.js';
import { tempFile, textStream } from './test-files.js';

async function errorOf(promise: Promise<unknown>): Promise<DataError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  return err as DataError;
}

/** Reads `text` three ways (a file, a stream factory, a one-shot stream) and returns the three errors. */
async function errorsFor(text: string, options: Record<string, unknown> = {}): Promise<DataError[]> {
  const path = tempFile(text);
  return [
    await errorOf(readCsv({ input: path, ...options })),
    await errorOf(readCsv({ input: () => textStream(text), name: 'factory.csv', ...options })),
    await errorOf(readCsv({ input: textStream(text), name: 'once.csv', ...options })),
  ];
}

function expectAt(errors: DataError[], line: number, column: number, problem: RegExp): void {
  const [file, factory, once] = errors;
  expect(file!.message).toMatch(new RegExp(`\\.csv: line ${line}, column ${column}\\b`));
  expect(file!.file).toMatch(/\.csv$/);
  expect(factory!.message).toMatch(new RegExp(`^factory\\.csv: line ${line}, column ${column}\\b`));
  expect(once!.message).toMatch(new RegExp(`^once\\.csv: line ${line}, column ${column}\\b`));
  for (const e of errors) {
    expect(e.line).toBe(line);
    expect(e.column).toBe(column);
    expect(e.message).toMatch(problem);
  }
}

describe('readCsv', () => {
  it('reads a header, selects columns by name and index, several targets, a delimiter', async () => {
    const path = tempFile('id;a;b;c;d\n1;2;3;4;5\n6;7;8;9;10\n');
    const ds = await readCsv({
      input: path,
      header: true,
      delimiter: ';',
      features: ['c', 1],
      targets: ['d', 'b'],
    });
    expect(ds.x.rows).toBe(2);
    expect(Array.from(ds.x.data)).toEqual([4, 2, 9, 7]);
    expect(Array.from(ds.y.data)).toEqual([5, 3, 10, 8]);
    expect(ds.featureNames).toEqual(['c', 'a']);
    expect(ds.targetNames).toEqual(['d', 'b']);
    expect(ds.skipped).toBe(0);
  });

  it('defaults to the last column as target and the others as features, without header', async () => {
    const ds = await readCsv({
      input: tempFile('1\t2\t3\r\n4\t5\t6\r\n'),
      delimiter: '\t',
      dtype: 'float32',
    });
    expect(ds.x.data).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.x.data)).toEqual([1, 2, 4, 5]);
    expect(Array.from(ds.y.data)).toEqual([3, 6]);
    expect(ds.featureNames).toBeUndefined();
  });

  it('ignores unselected columns, so text there is fine, and reads quoted numbers', async () => {
    const ds = await readCsv({
      input: tempFile('name,x,y\n"Smith, J",1.5,"2"\nLee,-3e2,4\n'),
      header: true,
      features: ['x'],
      targets: 'y',
    });
    expect(Array.from(ds.x.data)).toEqual([1.5, -300]);
    expect(Array.from(ds.y.data)).toEqual([2, 4]);
  });

  it('ignores a byte order mark and rejects a bad delimiter up front', async () => {
    const ds = await readCsv({
      input: tempFile('\uFEFFa,b\n1,2\n'),
      header: true,
      targets: 'b',
      features: ['a'],
    });
    expect(ds.featureNames).toEqual(['a']);
    expect(() => readCsv({ input: 'x.csv', delimiter: '' })).toThrow(/delimiter must be a non-empty string/);
    expect(() => readCsv({ input: 'x.csv', comment: '\n' })).toThrow(/comment must be/);
  });

  it('names file, line and column of a non-numeric cell (and the column name with a header)', async () => {
    const errors = await errorsFor('a,b,c\n1,2,3\n4,five,6\n', { header: true });
    expectAt(errors, 3, 2, /\("b"\): non-numeric value "five"$/);
  });

  it('names file, line and column of an empty cell', async () => {
    expectAt(await errorsFor('1,2,3\n4,,6\n'), 2, 2, /empty cell/);
    expectAt(await errorsFor('1,2,3\n4, ,6\n'), 2, 2, /empty cell/);
  });

  it('names file, line and column of a non-finite value', async () => {
    expectAt(await errorsFor('1,2,3\n4,5,Infinity\n'), 2, 3, /non-finite value "Infinity"/);
    expectAt(await errorsFor('1,2,3\nNaN,5,6\n'), 2, 1, /non-finite value "NaN"/);
    expectAt(await errorsFor('1,2,3\n4,1e999,6\n'), 2, 2, /non-finite value "1e999"/);
  });

  it('names file, line and the first extra or missing column of a malformed row', async () => {
    expectAt(await errorsFor('1,2,3\n4,5,6,7\n'), 2, 4, /the row has 4 fields, expected 3/);
    expectAt(await errorsFor('1,2,3\n4,5,6\n7,8\n'), 3, 3, /the row has 2 fields, expected 3/);
  });

  it('names file, line and column of broken quotes', async () => {
    expectAt(await errorsFor('1,2,3\n4,"5"x,6\n'), 2, 2, /Invalid Closing Quote/);
    expectAt(await errorsFor('1,2,3\n4,"5,6\n'), 2, 2, /Quote Not Closed/);
  });

  it('counts lines exactly past blank lines, comments and quoted line breaks', async () => {
    const text = '# a comment\nnote,x,y\n\n"two\nlines",1,2\n# another\n\nok,3,4\nbad,5,x\n';
    const errors = await errorsFor(text, { header: true, comment: '#', features: ['x'], targets: 'y' });
    expectAt(errors, 9, 3, /\("y"\): non-numeric value "x"/);
  });

  it('skips and counts invalid rows on request', async () => {
    const text = 'a,b\n1,2\nx,3\n4\n5,6\n7,"8\n';
    const ds = await readCsv({ input: tempFile(text), header: true, onInvalid: 'skip' });
    expect(Array.from(ds.x.data)).toEqual([1, 5]);
    expect(Array.from(ds.y.data)).toEqual([2, 6]);
    expect(ds.skipped).toBe(3);
  });

  it('names the path of a missing file', async () => {
    const err = await errorOf(readCsv({ input: '/no/such/dir/data.csv' }));
    expect(err.message).toBe('/no/such/dir/data.csv: file not found: /no/such/dir/data.csv');
  });

  it('names file and line for columns that do not exist', async () => {
    const path = tempFile('a,b\n1,2\n');
    const unknown = await errorOf(readCsv({ input: path, header: true, targets: 'price' }));
    expect(unknown.message).toMatch(/\.csv: line 1: no column named "price"; the columns are "a", "b"/);
    const noHeader = await errorOf(readCsv({ input: path, targets: 'b' }));
    expect(noHeader.message).toMatch(/\.csv: line 1: column "b" is named, but the data has no header/);
    const outOfRange = await errorOf(readCsv({ input: path, features: [5] }));
    expect(outOfRange.message).toMatch(/\.csv: line 1: column index 5 is out of range: rows have 2 columns/);
    const once = await errorOf(
      readCsv({ input: textStream('\n\na,b\n'), name: 's.csv', header: true, targets: 'z' }),
    );
    expect(once.message).toMatch(/^s\.csv: line 3: no column named "z"/);
  });

  it('rejects an empty file and a second read of a one-shot stream', async () => {
    expect((await errorOf(readCsv({ input: tempFile('a,b\n'), header: true }))).message).toMatch(
      /\.csv: no data rows$/,
    );
    const once = textStream('1,2\n');
    await readCsv({ input: once, name: 'once.csv' });
    // A new source over the same consumed stream has nothing left to read.
    expect((await errorOf(readCsv({ input: once, name: 'once.csv' }))).message).toMatch(
      /once\.csv: no data rows/,
    );
  });
});
