import type { DecimatedSeries } from './decimate-min-max.js';

/** Slots per pixel column on the joined x axis: a decimated line keeps at most 4 points per column. */
export const GRID_SLOTS = 4;

/**
 * The x axis the decimated lines are aligned on: the points before `min` (sorted, distinct), then
 * `GRID_SLOTS` evenly spaced positions inside each of the `columns` pixel columns of `[min, max]`, then
 * the points after `max`.
 */
export function gridX(
  series: readonly DecimatedSeries[],
  min: number,
  max: number,
  columns: number,
): { readonly x: Float64Array; readonly before: Float64Array; readonly after: Float64Array } {
  // The decimators keep one neighbour outside each end of the range: only the ends are scanned.
  const distinct = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return Float64Array.from(xs.filter((x, k) => k === 0 || x !== xs[k - 1]));
  };
  const lefts: number[] = [];
  const rights: number[] = [];
  for (const s of series) {
    for (let k = 0; k < s.length && s.x[k]! < min; k++) lefts.push(s.x[k]!);
    for (let k = s.length - 1; k >= 0 && s.x[k]! > max; k--) rights.push(s.x[k]!);
  }
  const before = distinct(lefts);
  const after = distinct(rights);
  const x = new Float64Array(before.length + GRID_SLOTS * columns + after.length);
  x.set(before);
  const width = (max - min) / columns;
  for (let c = 0, j = before.length; c < columns; c++)
    for (let s = 0; s < GRID_SLOTS; s++) x[j++] = min + (c + (s + 0.5) / GRID_SLOTS) * width;
  x.set(after, before.length + GRID_SLOTS * columns);
  return { x, before, after };
}
