import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readXYCsv } from './read-xy-csv.js';

// The seed article's 100 points (MIT, see test/fixtures/README.md), and the shared original.
const fixture = new URL('../test/fixtures/linreg-100.csv', import.meta.url);
const shared = new URL('../../../../shared/data/linreg-100.csv', import.meta.url);

describe('readXYCsv', () => {
  it('reads the 100 (x, y) points of linreg-100.csv', async () => {
    const ds = await readXYCsv(fixture);
    // Oracle: the file's own text, split by hand.
    const lines = readFileSync(fixture, 'utf8').trim().split('\n');
    expect(ds.x).toMatchObject({ rows: 100, cols: 1 });
    expect(ds.y).toMatchObject({ rows: 100, cols: 1 });
    lines.forEach((line, i) => {
      const [x, y] = line.split(',').map(Number.parseFloat);
      expect(ds.x.data[i]).toBe(x);
      expect(ds.y.data[i]).toBe(y);
    });
    expect(ds.x.data[0]).toBe(32.502345269453031);
  });

  it('matches the shared copy when it is there', async () => {
    let text: string;
    try {
      text = readFileSync(shared, 'utf8');
    } catch {
      return; // the package is used outside the workspace
    }
    expect(text).toBe(readFileSync(fixture, 'utf8'));
    const ds = await readXYCsv(shared, { dtype: 'float32' });
    expect(ds.x.rows).toBe(100);
  });
});
