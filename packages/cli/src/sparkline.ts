const BARS = '▁▂▃▄▅▆▇█';

/**
 * A learning curve in one line of text: `values` cut into `width` buckets (mean of each), each
 * drawn as one of eight bar heights. Losses spanning more than two decades are drawn on a log
 * scale (when all are positive). Non-finite values show as `!`.
 */
export function sparkline(values: readonly number[], width = 40): string {
  if (values.length === 0) return '';
  const n = Math.min(width, values.length);
  const buckets: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / n));
    let sum = 0;
    for (let k = from; k < to; k++) sum += values[k]!;
    buckets.push(sum / (to - from));
  }
  const finite = buckets.filter(Number.isFinite);
  if (finite.length === 0) return '!'.repeat(n);
  let lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const logScale = lo > 0 && hi / lo > 100;
  const f = (v: number) => (logScale ? Math.log(v) : v);
  lo = f(lo);
  const span = f(hi) - lo;
  return buckets
    .map((v) => {
      if (!Number.isFinite(v)) return '!';
      const level = span > 0 ? Math.round(((f(v) - lo) / span) * (BARS.length - 1)) : 0;
      return BARS[level]!;
    })
    .join('');
}
