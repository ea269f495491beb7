import { lowerBound, upperBound } from './decimate-min-max.js';
import type { PlotLine } from './decimated-plot.js';

/**
 * What is plotted, as CSV in long format (`series,x,y`), at full resolution (not decimated), limited
 * to the visible x range when one is given. Labels are quoted when they need it (RFC 4180).
 */
export function linesToCsv(
  lines: readonly Pick<PlotLine, 'label' | 'x' | 'y' | 'length'>[],
  options: {
    readonly xName?: string;
    readonly yName?: string;
    readonly range?: { min: number; max: number };
  } = {},
): string {
  const rows = [`series,${csvField(options.xName ?? 'x')},${csvField(options.yName ?? 'y')}`];
  for (const line of lines) {
    const label = csvField(line.label);
    const start = options.range ? lowerBound(line.x, line.length, options.range.min) : 0;
    const end = options.range ? upperBound(line.x, line.length, options.range.max) : line.length;
    for (let i = start; i < end; i++) rows.push(`${label},${line.x[i]},${line.y[i]}`);
  }
  return `${rows.join('\n')}\n`;
}

export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
