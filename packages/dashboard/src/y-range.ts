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
 * `values` is reordered in place (callers pass a scratch buffer).
 */
export function yRange(values: Float64Array, count: number, options: YRangeOptions = {}): [number, number] {
  const log = options.log === true;
  let n = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (isPlottable(v, log)) values[n++] = log ? Math.log10(v) : v;
  }
  let lo: number;
  let hi: number;
  if (n === 0 && !options.include?.some((v) => isPlottable(v, log))) return log ? [1, 10] : [0, 1];
  if (n === 0) {
    lo = Number.POSITIVE_INFINITY;
    hi = Number.NEGATIVE_INFINITY;
  } else if (options.ignoreOutliers && n >= 3) {
    // Selection, not a sort: a chart with a dozen runs hands over ~100,000 points every frame.
    lo = quantileSelect(values, n, 0.05);
    hi = quantileSelect(values, n, 0.95);
  } else {
    lo = Number.POSITIVE_INFINITY;
    hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
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

/**
 * The `q` quantile of `values[0..n)` with numpy's linear interpolation, in O(n) by selection
 * (Hoare's quickselect, middle pivot); reorders `values[0..n)`.
 */
export function quantileSelect(values: Float64Array, n: number, q: number): number {
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const k = Math.floor(pos);
  const frac = pos - k;
  const atK = selectKth(values, n, k);
  if (frac === 0 || k + 1 >= n) return atK;
  // After the selection everything past k is >= values[k]: the next order statistic is their minimum.
  let next = Number.POSITIVE_INFINITY;
  for (let i = k + 1; i < n; i++) if (values[i]! < next) next = values[i]!;
  return atK + (next - atK) * frac;
}

/** Puts the k-th smallest of `a[0..n)` at `a[k]` (smaller before, larger after) and returns it. */
function selectKth(a: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (left < right) {
    const pivot = a[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k]!;
}
