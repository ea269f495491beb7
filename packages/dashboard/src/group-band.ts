/** The mean and the min..max of several runs' values at each x. */
export interface GroupBand {
  readonly x: Float64Array;
  readonly mean: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly length: number;
}

/**
 * Mean and min-max band across `series` (each sorted by x): at every x some series has, over the
 * series that have a finite value at exactly that x (runs of one config over seeds log the same
 * steps). A run that stopped early, or diverged, no longer counts past its last finite point, so
 * the band shows how many runs made it how far rather than averaging in NaN.
 */
export function groupBand(
  series: readonly {
    readonly x: ArrayLike<number>;
    readonly y: ArrayLike<number>;
    readonly length: number;
  }[],
): GroupBand {
  const xs = new Set<number>();
  for (const s of series) for (let i = 0; i < s.length; i++) xs.add(s.x[i]!);
  const x = Float64Array.from(xs).sort();
  const n = x.length;
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  const min = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (const s of series) {
    let j = 0;
    for (let i = 0; i < s.length; i++) {
      const xi = s.x[i]!;
      while (x[j]! < xi) j++;
      const y = s.y[i]!;
      if (!Number.isFinite(y)) continue;
      sum[j]! += y;
      count[j]!++;
      if (y < min[j]!) min[j] = y;
      if (y > max[j]!) max[j] = y;
    }
  }
  const mean = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (count[j] === 0) {
      mean[j] = min[j] = max[j] = Number.NaN;
    } else mean[j] = sum[j]! / count[j]!;
  }
  return { x, mean, min, max, length: n };
}
