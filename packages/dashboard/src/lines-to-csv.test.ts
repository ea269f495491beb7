import { describe, expect, it } from 'vitest';
import { linesToCsv } from './lines-to-csv.js';

describe('linesToCsv', () => {
  it('writes every point of every line in long format, quoting labels', () => {
    const csv = linesToCsv(
      [
        { label: 'a', x: [0, 1], y: [3, 2], length: 2 },
        { label: 'run "b", train', x: [0, 1, 2], y: [5, 4, 9], length: 2 },
      ],
      { xName: 'step', yName: 'loss' },
    );
    expect(csv).toBe('series,step,loss\na,0,3\na,1,2\n"run ""b"", train",0,5\n"run ""b"", train",1,4\n');
  });

  it('keeps only the visible range', () => {
    const csv = linesToCsv([{ label: 'a', x: [0, 1, 2, 3], y: [1, 2, 3, 4], length: 4 }], {
      range: { min: 1, max: 2 },
    });
    expect(csv).toBe('series,x,y\na,1,2\na,2,3\n');
  });
});
