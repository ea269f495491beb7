/** Options of `yRange`. */
export interface YRangeOptions {
  /** Log scale: only positive values count and the range is padded in decades. */
  readonly log?: boolean;
  /**
   * Scale to the 5th..95th percentile of the values (TensorBoard's "ignore outliers in chart
   * scaling"), so one diverged run does not flatten every other line.
   */
  readonly ignoreOutliers?: boolean;
  /** Values the range must include whatever the percentiles say (each line's latest value). */
  readonly include?: readonly number[];
}

/** Values beyond this are treated like Infinity when scaling: their span would overflow. */
export const MAX_SCALED = 1e300;
/** On a log axis, smaller positive values (denormals) are skipped: padding would round them to 0. */
export const MIN_LOG = 1e-300;

/** True when `value` can be placed on the axis (finite, in range, positive on a log axis). */
export function isPlottable(value: number, log = false): boolean {
  return log ? value >= MIN_LOG && value <= MAX_SCALED : value >= -MAX_SCALED && value <= MAX_SCALED;
}

/**
 * The y range to draw `values[0..count)` in: ignoring NaN, infinities, |v| > 1e300 and (log)
 * non-positive values; optionally only the 5th..95th percentile; padded by a tenth of the span
 * each side (on a log axis, of the span in decades). Always a finite range with `max > min`
 * (positive on a log axis), whatever the data: the axis can always place its ticks.
 * `values` is sorted in place (callers pass a scratch buffer).
 */
export function yRange(values: Float64Array, count: number, options: YRangeOptions = {}): [number, number] {
  const log = options.log === true;
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (isPlottable(v, log)) values[n++] = log ? Math.log10(v) : v;
  }
  const scratch = values.subarray(0, n).sort();
  let lo: number;
  let hi: number;
  if (n === 0 && !options.include?.some((v) => isPlottable(v, log))) return log ? [1, 10] : [0, 1];
  if (n === 0) {
    lo = Number.POSITIVE_INFINITY;
    hi = Number.NEGATIVE_INFINITY;
  } else if (options.ignoreOutliers && n >= 3) {
    lo = quantileSorted(scratch, 0.05);
    hi = quantileSorted(scratch, 0.95);
  } else {
    lo = scratch[0]!;
    hi = scratch[n - 1]!;
  }
  for (const v of options.include ?? []) {
    if (!isPlottable(v, log)) continue;
    const t = log ? Math.log10(v) : v;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (hi > lo) {
    // A tenth of the span; on a log axis at most one decade (30 decades of padding help no one).
    const pad = log ? Math.min((hi - lo) * 0.1, 1) : (hi - lo) * 0.1;
    lo -= pad;
    hi += pad;
  } else {
    // One value (or all equal): a band around it.
    const half = log ? 0.5 : lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= half;
    hi += half;
  }
  // Padding stays inside what a double holds (1e-300 less 30 decades of padding is still > 0).
  if (log) return [10 ** Math.max(lo, -307), 10 ** Math.min(hi, 307)];
  return [Math.max(lo, -Number.MAX_VALUE), Math.min(hi, Number.MAX_VALUE)];
}

/** The `q` quantile of sorted values by linear interpolation (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const i = Math.floor(pos);
  const frac = pos - i;
  if (i + 1 >= n) return sorted[n - 1]!;
  return sorted[i]! + (sorted[i + 1]! - sorted[i]!) * frac;
}
