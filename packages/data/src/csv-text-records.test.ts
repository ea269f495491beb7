import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvTextOptions, csvTextRecords } from './csv-text-records.js';

const options: CsvTextOptions = {
  name: 't.csv',
  delimiter: ',',
  comment: undefined,
  maxRecordSize: Number.POSITIVE_INFINITY,
};
const ours = (text: string, extra: Partial<CsvTextOptions> = {}) =>
  [...csvTextRecords(text, { ...options, ...extra })].map((r) => [r.line, r.fields] as const);

/** csv-parse, the parser the file sources use, as the oracle: records and the line each starts on. */
function oracle(text: string, delimiter = ','): (readonly [number, string[]])[] {
  const rows = parse(text, {
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return rows.map((r) => [r.info.lines, r.record] as const);
}

describe('csvTextRecords', () => {
  it('agrees with csv-parse on quotes, escapes, line ends, empty lines and a byte order mark', () => {
    const cases = [
      'a,b\n1,2\n',
      '1,2\r\n3,4\r\n',
      '\ufeffx,y\n1,2',
      '1,"two, with comma"\n"multi\nline",3\n',
      '"say ""hi""",1\n\n\n2,3\n',
      ',,\n1,,2\n',
      '1;2\n3;4\n',
    ];
    for (const text of cases) {
      const delimiter = text.includes(';') ? ';' : ',';
      expect(ours(text, { delimiter }).map(([, f]) => f)).toEqual(oracle(text, delimiter).map(([, f]) => f));
    }
  });

  it('agrees with csv-parse on random well-formed CSV', () => {
    const field = fc.oneof(
      fc.stringMatching(/^[0-9a-z. +-]{0,6}$/),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`),
    );
    const record = fc.array(field, { minLength: 1, maxLength: 4 }).map((fs) => fs.join(','));
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        (records, eol) => {
          // csv-parse reads a line that is one empty field as an empty line: leave those out.
          const text = records.filter((r) => r !== '').join(eol) + eol;
          expect(ours(text).map(([, f]) => f)).toEqual(oracle(text).map(([, f]) => f));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the line each record starts on, counting line breaks inside quotes', () => {
    expect(ours('a,b\n\n"x\ny",1\n2,3\n').map(([line]) => line)).toEqual([1, 3, 5]);
  });

  it('skips comment lines', () => {
    expect(ours('# note\n1,2\n#x\n3,4\n', { comment: '#' }).map(([, f]) => f)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('refuses a broken quote and a record over the limit, naming the line', () => {
    expect(() => ours('1,2\n3,"open\n')).toThrow('t.csv: line 2, column 2: a quoted field is not closed');
    expect(() => ours('1,2\n"a"b,3\n')).toThrow(
      't.csv: line 2, column 1: unexpected character "b" after a closing quote',
    );
    expect(() => ours(`1,2\n${'9'.repeat(30)},1\n`, { maxRecordSize: 10 })).toThrow(
      't.csv: line 2: the record is longer than 10 characters',
    );
    expect(() => ours(`1,2\n"${'9'.repeat(30)}",1\n`, { maxRecordSize: 10 })).toThrow(
      't.csv: line 2: the record is longer than 10 characters',
    );
  });
});
