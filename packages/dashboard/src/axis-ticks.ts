/**
 * Tick positions for a linear axis over [min, max]: multiples of 1, 2 or 5 times a power of ten,
 * about `target` of them. Computed here rather than by the chart library so an axis has labels
 * for any finite range (a diverged run's 1e150 beside a 1e-3 loss included).
 */
export function linearTicks(min: number, max: number, target = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || !(max > min))
    return Number.isFinite(min) ? [min] : [];
  const raw = (max - min) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  // The 1-2-5 step whose tick count is nearest the target.
  const span = max - min;
  let step = power;
  for (const m of [2, 5, 10])
    if (Math.abs(span / (m * power) - target) < Math.abs(span / step - target)) step = m * power;
  // The epsilon keeps 0.35 / 0.05 = 6.9999999 from losing its last tick.
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last && ticks.length < 100; k++) {
    // Multiplying the integer index keeps 0.1 * 3 from printing as 0.30000000000000004.
    const value = k * step;
    ticks.push(Math.abs(value) < step * 1e-9 ? 0 : Number(value.toPrecision(12)));
  }
  return ticks;
}

/**
 * Tick positions for a log axis over [min, max] (both > 0): powers of ten, every `k`-th decade so
 * there are at most about `target`; within a single decade, the 1-2-5 multiples, so a narrow
 * range still has labels.
 */
export function logTicks(min: number, max: number, target = 6): number[] {
  if (!(min > 0 && max > min && Number.isFinite(max))) return min > 0 && Number.isFinite(min) ? [min] : [];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const decades = hi - lo + 1;
  if (decades >= 2) {
    const every = Math.max(1, Math.ceil(decades / target));
    const ticks: number[] = [];
    for (let e = Math.ceil(lo / every) * every; e <= hi; e += every) ticks.push(Number(`1e${e}`));
    if (ticks.length >= 2) return ticks;
  }
  // Less than two decades: 1, 2 and 5 times each power of ten in range, else linear ticks.
  const ticks: number[] = [];
  for (let e = lo - 1; e <= hi; e++)
    for (const m of [1, 2, 5]) {
      const v = Number(`${m}e${e}`);
      if (v >= min && v <= max) ticks.push(v);
    }
  return ticks.length >= 2 ? ticks : linearTicks(min, max, 4);
}

/** A tick label: short, and in exponent form for very small or large magnitudes. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) {
    const [mantissa, exponent] = value.toExponential(2).split('e');
    return `${Number(mantissa)}e${exponent!.replace('+', '')}`;
  }
  return String(Number(value.toPrecision(6)));
}
