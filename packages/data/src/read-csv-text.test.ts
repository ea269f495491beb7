import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { readCsv } from './read-csv.js';
import { readCsvText } from './read-csv-text.js';
import { tempFile } from './test-files.js';

describe('readCsvText', () => {
  it('reads what readCsv reads from the same text (oracle: the csv-parse file source)', async () => {
    const text = 'size,rooms,"price, k"\n50,2,150\n72.5,3,"210"\n# skipped\n90,4,300\n\n';
    const options = { header: true, targets: 'price, k', comment: '#' } as const;
    const fromText = await readCsvText({ text, ...options });
    const fromFile = await readCsv({ input: tempFile(text), ...options });
    expect(fromText.x).toEqual(fromFile.x);
    expect(fromText.y).toEqual(fromFile.y);
    expect(fromText.featureNames).toEqual(['size', 'rooms']);
    expect(fromText.targetNames).toEqual(['price, k']);
  });

  it('names the line, column and field of a bad cell, or skips the row', async () => {
    const text = 'a,b\n1,2\n3,x\n4\n5,6\n';
    const err = await readCsvText({ text, name: 'upload.csv', header: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe('upload.csv: line 3, column 2 ("b"): non-numeric value "x"');
    const skipped = await readCsvText({ text, header: true, onInvalid: 'skip', dtype: 'float32' });
    expect(skipped.skipped).toBe(2);
    expect(Array.from(skipped.x.data)).toEqual([1, 5]);
    expect(skipped.x.data).toBeInstanceOf(Float32Array);
  });

  it('refuses a record over maxRecordSize', async () => {
    await expect(readCsvText({ text: `1,2\n${'3'.repeat(50)},4\n`, maxRecordSize: 16 })).rejects.toThrow(
      '<csv text>: line 2: the record is longer than 16 characters',
    );
  });
});
