/** Input of `decimateMinMax`: a series sorted by x, read from `x[0..length)` and `y[0..length)`. */
export interface DecimateOptions {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Points to read (default: `x.length`). */
  readonly length?: number;
  /** Visible x range; the nearest point outside each end is kept so lines reach the edges. */
  readonly xMin: number;
  readonly xMax: number;
  /** Pixel columns across the visible range. */
  readonly columns: number;
}

export interface DecimatedSeries {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly length: number;
}

/**
 * Min/max decimation per pixel column (the M4 idea: keep the first, minimum, maximum and last
 * point of every column, in x order). A line drawn through the result covers exactly the pixels
 * the full series would, so no spike is hidden, and it has at most 4 points per column however
 * long the series. Non-finite y values are skipped. O(visible points), x must be sorted.
 */
export function decimateMinMax(options: DecimateOptions): DecimatedSeries {
  const { x, y, xMin, xMax } = options;
  const length = options.length ?? x.length;
  if (!(options.columns >= 1))
    throw new RangeError(`decimateMinMax: columns must be >= 1, got ${options.columns}`);
  if (!(xMax >= xMin)) throw new RangeError(`decimateMinMax: need xMin <= xMax, got [${xMin}, ${xMax}]`);
  const columns = Math.floor(options.columns);
  let lo = lowerBound(x, length, xMin);
  let hi = upperBound(x, length, xMax); // exclusive
  if (lo > 0) lo--;
  if (hi < length) hi++;
  const outX = new Float64Array(Math.min(hi - lo, 4 * (columns + 2)));
  const outY = new Float64Array(outX.length);
  let out = 0;
  const span = xMax - xMin;
  const scale = span > 0 ? columns / span : 0;
  let column = Number.NaN;
  let first = -1;
  let last = -1;
  let min = -1;
  let max = -1;
  const flush = () => {
    if (first < 0) return;
    // Emit the (up to) four kept indices in x order, without repeats.
    const a = Math.min(min, max);
    const b = Math.max(min, max);
    const kept = [first, a, b, last];
    let previous = -1;
    for (const index of kept) {
      if (index <= previous) continue;
      outX[out] = x[index]!;
      outY[out] = y[index]!;
      out++;
      previous = index;
    }
  };
  for (let i = lo; i < hi; i++) {
    const value = y[i]!;
    if (!Number.isFinite(value)) continue;
    const xi = x[i]!;
    const c =
      xi < xMin ? -1 : xi > xMax ? columns + 1 : Math.min(columns - 1, Math.floor((xi - xMin) * scale));
    if (c !== column) {
      flush();
      column = c;
      first = last = min = max = i;
      continue;
    }
    last = i;
    if (value < y[min]!) min = i;
    if (value > y[max]!) max = i;
  }
  flush();
  return { x: outX, y: outY, length: out };
}

/** First index with x[i] >= value. */
export function lowerBound(x: ArrayLike<number>, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with x[i] > value. */
export function upperBound(x: ArrayLike<number>, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
