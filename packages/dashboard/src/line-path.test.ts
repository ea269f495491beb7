import { describe, expect, it } from 'vitest';
import { LinePath, type PathSink } from './line-path.js';

/** Records the calls a path receives. */
function recorder(): PathSink & { readonly calls: (string | number)[][] } {
  const calls: (string | number)[][] = [];
  return {
    calls,
    moveTo: (x, y) => calls.push(['moveTo', x, y]),
    lineTo: (x, y) => calls.push(['lineTo', x, y]),
    rect: (x, y, w, h) => calls.push(['rect', x, y, w, h]),
  };
}

function draw(mode: 'stroke' | 'fill', width: number, points: [number, number][]) {
  const stroke = recorder();
  const fill = recorder();
  const path = new LinePath();
  path.start({ mode, width, stroke, fill });
  for (const [x, y] of points) path.add(x, y);
  path.finish();
  return { stroke: stroke.calls, fill: fill.calls };
}

describe('LinePath', () => {
  it('strokes a column as first, extremes in their order, last; a flat run as one segment', () => {
    const { stroke, fill } = draw('stroke', 1, [
      [0.5, 10],
      [0.6, 20],
      [0.7, 5],
      [0.8, 12],
      [1.5, 12],
      [2.5, 12],
      [3.5, 12],
      [4.5, 30],
    ]);
    // Screen y grows downwards: 20 (lower on screen) came before 5 (higher).
    expect(stroke).toEqual([
      ['moveTo', 0.5, 10],
      ['lineTo', 0.5, 20],
      ['lineTo', 0.5, 5],
      ['lineTo', 0.5, 12],
      ['lineTo', 3.5, 12],
      ['lineTo', 4.5, 30],
    ]);
    expect(fill).toEqual([]);
  });

  it('keeps the order when the smaller height comes first', () => {
    const { stroke } = draw('stroke', 1, [
      [7.1, 10],
      [7.2, 4],
      [7.3, 30],
      [7.4, 11],
    ]);
    expect(stroke).toEqual([
      ['moveTo', 7.1, 10],
      ['lineTo', 7.1, 4],
      ['lineTo', 7.1, 30],
      ['lineTo', 7.1, 11],
    ]);
  });

  it('fills neighbouring columns and their links as rectangles of the width, and strokes long links', () => {
    // Width 2 (half 1). Column 10: 50 then 40; column 11: 45 then 44 (1.1 px on); column 15 is 4.2 px on.
    const { stroke, fill } = draw('fill', 2, [
      [10.2, 50],
      [10.7, 40],
      [11.3, 45],
      [11.8, 44],
      [15.5, 60],
    ]);
    expect(stroke).toEqual([
      ['moveTo', 11.3, 44],
      ['lineTo', 15.5, 60],
    ]);
    expect(fill).toHaveLength(3);
    const [a, b, c] = fill as [
      [string, number, number, number, number],
      [string, number, number, number, number],
      [string, number, number, number, number],
    ];
    // Column 10's extent 40..50, widened by half the width on every side.
    expect(a[0]).toBe('rect');
    expect(a.slice(1)).toEqual([9.2, 39, 2, 12]);
    // From column 10's last point (40) to column 11's extent (44..45): 40..45, x 10.2 - 1 .. 11.3 + 1.
    expect(b[1]).toBeCloseTo(9.2, 12);
    expect(b[2]).toBe(39);
    expect(b[3]).toBeCloseTo(3.1, 12);
    expect(b[4]).toBe(7);
    // Column 15 alone: a square of the width around its point.
    expect(c.slice(1)).toEqual([14.5, 59, 2, 2]);
  });

  it('merges the rectangles of a flat run into one', () => {
    const points: [number, number][] = [];
    for (let x = 0; x < 100; x++) points.push([x + 0.5, 20]);
    const { stroke, fill } = draw('fill', 1.5, points);
    expect(stroke).toEqual([]);
    expect(fill).toEqual([['rect', -0.25, 19.25, 100.5, 1.5]]);
  });

  it('draws nothing for no points and starts over on start', () => {
    expect(draw('stroke', 1, [])).toEqual({ stroke: [], fill: [] });
    const path = new LinePath();
    const first = recorder();
    path.start({ mode: 'stroke', width: 1, stroke: first, fill: recorder() });
    path.add(1, 1);
    path.add(5, 9);
    path.finish();
    const second = recorder();
    path.start({ mode: 'stroke', width: 1, stroke: second, fill: recorder() });
    path.add(2, 2);
    path.finish();
    expect(first.calls).toEqual([
      ['moveTo', 1, 1],
      ['lineTo', 5, 9],
    ]);
    expect(second.calls).toEqual([['moveTo', 2, 2]]);
  });
});
