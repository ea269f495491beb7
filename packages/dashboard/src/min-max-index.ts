import { type DecimatedSeries, lowerBound, upperBound } from './decimate-min-max.js';

/**
 * A min/max pyramid over a growing series: level k stores, for every bucket of 2^k consecutive
 * points, the index of its smallest and of its largest finite value. Any index range is then
 * covered by O(log n) buckets, so decimating a million points to a few thousand pixel columns
 * costs O(columns log n) instead of a pass over every point, and appending points only rebuilds
 * the buckets they fall in (amortised O(1) per point). Ties keep the earlier point, as
 * `decimateMinMax` does.
 */
/** Levels below 2^LEAF points per bucket are not stored: a query scans at most that many points at each end. */
const LEAF = 3;
/** Columns of at most this many points are scanned point by point. */
const SHORT_COLUMN = 32;

export class MinMaxIndex {
  /** levels[k - 1] holds buckets of 2^k points: argmin at 2j, argmax at 2j + 1 (-1: no finite value). */
  #levels: Int32Array[] = [];
  #length = 0;
  #y: ArrayLike<number> = [];
  #foundMin = -1;
  #foundMax = -1;
  #outX = new Float64Array(0);
  #outY = new Float64Array(0);

  get length(): number {
    return this.#length;
  }

  /**
   * Takes `y[0..length)`. The buffer may be a new one (a grown copy) as long as the points already
   * indexed are unchanged; a shorter length starts over.
   */
  update(y: ArrayLike<number>, length: number): void {
    if (length < this.#length) {
      this.#levels = [];
      this.#length = 0;
    }
    this.#y = y;
    const from = this.#length;
    if (length === from) return;
    this.#length = length;
    let childFrom = from;
    for (let k = LEAF; 2 ** k <= length; k++) {
      const size = Math.ceil(length / 2 ** k);
      let level = this.#levels[k - 1];
      if (!level || level.length < 2 * size) {
        const grown = new Int32Array(Math.max(2 * size, level ? level.length * 2 : 16));
        if (level) grown.set(level);
        level = grown;
        this.#levels[k - 1] = level;
      }
      const firstBucket = k === LEAF ? childFrom >> LEAF : childFrom >> 1;
      // Comparisons inlined (a history's first draw builds a million buckets): the second child
      // covers later points, so a tie keeps the first child's index, as `decimateMinMax` keeps
      // the earlier point. `v - v === 0` is Number.isFinite for numbers, without the call.
      if (k === LEAF) {
        // The first stored level, straight from the points (2^LEAF of them per bucket).
        const width = 1 << LEAF;
        for (let j = firstBucket; j < size; j++) {
          let min = -1;
          let max = -1;
          let lo = 0;
          let hi = 0;
          const end = Math.min(length, (j + 1) * width);
          for (let i = j * width; i < end; i++) {
            const v = y[i]!;
            if (!(v - v === 0)) continue;
            if (min < 0) {
              min = max = i;
              lo = hi = v;
            } else if (v < lo) {
              min = i;
              lo = v;
            } else if (v > hi) {
              max = i;
              hi = v;
            }
          }
          level[2 * j] = min;
          level[2 * j + 1] = max;
        }
      } else {
        const child = this.#levels[k - 2]!;
        const childCount = Math.ceil(length / 2 ** (k - 1));
        for (let j = firstBucket; j < size; j++) {
          let min = child[4 * j]!;
          let max = child[4 * j + 1]!;
          if (2 * j + 1 < childCount) {
            const minB = child[4 * j + 2]!;
            const maxB = child[4 * j + 3]!;
            // Both -1 or both set: a bucket with a finite value has a smallest and a largest.
            if (minB >= 0) {
              if (min < 0 || y[minB]! < y[min]!) min = minB;
              if (max < 0 || y[maxB]! > y[max]!) max = maxB;
            }
          }
          level[2 * j] = min;
          level[2 * j + 1] = max;
        }
      }
      childFrom = firstBucket;
    }
  }

  /** Indices of the smallest and largest finite values in `[from, to)` (-1 when there is none). */
  extremes(from: number, to: number): [number, number] {
    this.#scan(from, to);
    return [this.#foundMin, this.#foundMax];
  }

  /** `extremes` into `#foundMin` and `#foundMax` (no array per call: decimation asks once per column). */
  #scan(from: number, to: number): void {
    let min = -1;
    let max = -1;
    let i = Math.max(0, from);
    const end = Math.min(to, this.#length);
    const y = this.#y;
    const levels = this.#levels;
    while (i < end) {
      // The largest aligned bucket starting at i that fits in the range.
      let k = 0;
      while (k < levels.length && (i & ((2 << k) - 1)) === 0 && i + (2 << k) <= end) k++;
      if (k < LEAF) {
        // Below the first stored level: one point at a time (fewer than 2^LEAF at each end).
        if (Number.isFinite(y[i]!)) {
          min = this.#lower(min, i);
          max = this.#higher(max, i);
        }
        i++;
      } else {
        const level = levels[k - 1]!;
        const j = i >> k;
        min = this.#lower(min, level[2 * j]!);
        max = this.#higher(max, level[2 * j + 1]!);
        i += 1 << k;
      }
    }
    this.#foundMin = min;
    this.#foundMax = max;
  }

  /**
   * The same points as `decimateMinMax` (first, min, max and last of every pixel column, in x order,
   * plus one neighbour outside each end of the range), found through the pyramid. `x` must be sorted.
   * The result lives in buffers this index reuses: it is valid until the next `decimate`.
   */
  decimate(options: {
    readonly x: ArrayLike<number>;
    readonly xMin: number;
    readonly xMax: number;
    readonly columns: number;
    /**
     * The columns' ends already found for this `x`, `length` and range (`columnEnds`): lines
     * sharing an x column (a run's raw and smoothed loss) search it once.
     */
    readonly ends?: Int32Array;
  }): DecimatedSeries {
    const { x, xMin, xMax } = options;
    if (!(options.columns >= 1))
      throw new RangeError(`MinMaxIndex.decimate: columns must be >= 1, got ${options.columns}`);
    if (!(xMax >= xMin))
      throw new RangeError(`MinMaxIndex.decimate: need xMin <= xMax, got [${xMin}, ${xMax}]`);
    const columns = Math.floor(options.columns);
    const length = this.#length;
    const y = this.#y;
    const lo = lowerBound(x, length, xMin);
    const hi = upperBound(x, length, xMax);
    const size = 4 * (columns + 2);
    if (this.#outX.length < size) {
      this.#outX = new Float64Array(size);
      this.#outY = new Float64Array(size);
    }
    const outX = this.#outX;
    const outY = this.#outY;
    let out = 0;
    let previous = -1;
    // Appends point `index` unless it is already there (indices only grow).
    const emit = (index: number) => {
      if (index < 0 || index <= previous) return;
      outX[out] = x[index]!;
      outY[out] = y[index]!;
      out++;
      previous = index;
    };
    // The nearest finite point before the range.
    for (let i = lo - 1; i >= 0; i--)
      if (Number.isFinite(y[i]!)) {
        emit(i);
        break;
      }
    const ends = options.ends ?? columnEnds({ x, length, xMin, xMax, columns });
    let start = lo;
    for (let c = 0; c < columns && start < hi; c++) {
      const end = ends[c]!;
      if (end <= start) continue;
      let min = -1;
      let max = -1;
      if (end - start <= SHORT_COLUMN) {
        // A few points (a live run of some thousand steps): one pass over them costs less than
        // walking the buckets. Strict comparisons keep the earlier of equal points, as `#scan`.
        for (let i = start; i < end; i++) {
          const v = y[i]!;
          if (v - v !== 0) continue;
          if (min < 0 || v < y[min]!) min = i;
          if (max < 0 || v > y[max]!) max = i;
        }
      } else {
        this.#scan(start, end);
        min = this.#foundMin;
        max = this.#foundMax;
      }
      if (min >= 0) {
        // The column has a finite value, so its first and last finite points exist.
        let first = start;
        while (!Number.isFinite(y[first]!)) first++;
        let last = end - 1;
        while (!Number.isFinite(y[last]!)) last--;
        emit(first);
        emit(Math.min(min, max));
        emit(Math.max(min, max));
        emit(last);
      }
      start = end;
    }
    for (let i = hi; i < length; i++)
      if (Number.isFinite(y[i]!)) {
        emit(i);
        break;
      }
    return { x: outX, y: outY, length: out };
  }

  #lower(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    const ya = this.#y[a]!;
    const yb = this.#y[b]!;
    return yb < ya || (yb === ya && b < a) ? b : a;
  }

  #higher(a: number, b: number): number {
    if (a < 0) return b;
    if (b < 0) return a;
    const ya = this.#y[a]!;
    const yb = this.#y[b]!;
    return yb > ya || (yb === ya && b < a) ? b : a;
  }
}

/**
 * Where each of `columns` pixel columns over `[xMin, xMax]` ends in a sorted `x[0..length)`: the
 * first index past the column (the last column ends after the last point at or below `xMax`).
 */
export function columnEnds(options: {
  readonly x: ArrayLike<number>;
  readonly length: number;
  readonly xMin: number;
  readonly xMax: number;
  readonly columns: number;
  readonly out?: Int32Array;
}): Int32Array {
  const { x, length, xMin, xMax } = options;
  const columns = Math.floor(options.columns);
  const ends = options.out && options.out.length >= columns ? options.out : new Int32Array(columns);
  const lo = lowerBound(x, length, xMin);
  const hi = upperBound(x, length, xMax);
  const span = xMax - xMin;
  let start = lo;
  for (let c = 0; c < columns; c++) {
    const end =
      c === columns - 1 || span === 0 || start >= hi
        ? hi
        : gallop(x, start, hi, xMin + (span * (c + 1)) / columns);
    ends[c] = end;
    start = Math.max(start, end);
  }
  return ends;
}

/**
 * First index in `[from, to)` with `x[i] >= value` (`to` when none), searching outwards from
 * `from` first: a pixel column's end is a few points past its start, so this costs O(log of the
 * column's points) rather than a binary search over the whole series per column.
 */
function gallop(x: ArrayLike<number>, from: number, to: number, value: number): number {
  let step = 1;
  let lo = from;
  let hi = from;
  while (hi < to && x[hi]! < value) {
    lo = hi + 1;
    hi = Math.min(to, hi + step);
    step *= 2;
  }
  // x[lo - 1] < value (or lo = from), and x[hi] >= value (or hi = to).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
