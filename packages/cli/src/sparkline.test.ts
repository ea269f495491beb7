import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline.js';

describe('sparkline', () => {
  it('draws a falling curve from the highest bar to the lowest', () => {
    expect(sparkline([7, 6, 5, 4, 3, 2, 1, 0])).toBe('█▇▆▅▄▃▂▁');
  });

  it('averages buckets down to the width', () => {
    expect(sparkline([8, 8, 0, 0], 2)).toBe('█▁');
  });

  it('uses a log scale for positive values spanning decades', () => {
    expect(sparkline([1000, 100, 10, 1])).toBe('█▆▃▁');
  });

  it('marks non-finite values and copes with constant or empty series', () => {
    expect(sparkline([1, Number.POSITIVE_INFINITY, 0])).toBe('█!▁');
    expect(sparkline([2, 2, 2])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });
});
