/**
 * The colour of the `index`-th run on a chart: the theme's 16 hand-picked colours (the first 8
 * overridable with `--dh-series-0..7`), then hues a golden angle apart, so no two of the first
 * few dozen runs share a colour (colours used to repeat after 8).
 */
export function seriesColor(palette: readonly string[], index: number, dark = false): string {
  if (index < palette.length) return palette[index]!;
  const hue = Math.round((index * 137.508) % 360);
  return dark ? `hsl(${hue} 70% 68%)` : `hsl(${hue} 70% 38%)`;
}
