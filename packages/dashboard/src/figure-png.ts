import { canvasToPng } from './download.js';

/** One legend entry of an exported figure. */
export interface FigureLegendEntry {
  readonly label: string;
  readonly color: string;
}

/**
 * A chart's canvas as a stand-alone PNG: the title above, the plot, and the legend (a swatch and
 * name per run, wrapped into rows) below, on an opaque background, so the image says what it
 * shows once it leaves the page.
 */
export function figurePng(options: {
  readonly canvas: HTMLCanvasElement;
  readonly title: string;
  readonly legend: readonly FigureLegendEntry[];
  readonly background: string;
  readonly foreground: string;
  /** Device pixels per CSS pixel of `canvas` (text is drawn at the same scale). */
  readonly scale?: number;
}): Promise<Blob> {
  const { canvas, title, legend, background, foreground } = options;
  const s = options.scale ?? (typeof devicePixelRatio === 'number' ? devicePixelRatio : 1);
  const width = canvas.width;
  const pad = 10 * s;
  const titleHeight = 26 * s;
  const rowHeight = 18 * s;
  const font = `${Math.round(12 * s)}px system-ui, sans-serif`;
  const measure = document.createElement('canvas').getContext('2d')!;
  measure.font = font;
  // Lay the legend out in rows first, to know the height.
  const placed: { entry: FigureLegendEntry; x: number; row: number }[] = [];
  let x = pad;
  let row = 0;
  for (const entry of legend) {
    const w = 18 * s + measure.measureText(entry.label).width + 16 * s;
    if (x + w > width - pad && x > pad) {
      row++;
      x = pad;
    }
    placed.push({ entry, x, row });
    x += w;
  }
  const legendHeight = legend.length === 0 ? 0 : (row + 1) * rowHeight + pad;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = titleHeight + canvas.height + legendHeight;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = foreground;
  ctx.font = `600 ${Math.round(14 * s)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, titleHeight / 2);
  ctx.drawImage(canvas, 0, titleHeight);
  ctx.font = font;
  const top = titleHeight + canvas.height + pad / 2;
  for (const { entry, x, row } of placed) {
    const y = top + row * rowHeight + rowHeight / 2;
    ctx.fillStyle = entry.color;
    ctx.fillRect(x, y - 2 * s, 14 * s, 4 * s);
    ctx.fillStyle = foreground;
    ctx.fillText(entry.label, x + 18 * s, y);
  }
  return canvasToPng(out, background);
}

/**
 * A download's file name that says what it holds: the chart and the runs on it
 * (`learning-curve--adam-lr-0.01--sgd.png`; past three runs, `...--and-9-more`).
 */
export function figureFileName(chart: string, runNames: readonly string[], extension: string): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'run';
  const names = runNames.slice(0, 3).map(slug);
  if (runNames.length > 3) names.push(`and-${runNames.length - 3}-more`);
  return [slug(chart), ...names].join('--') + `.${extension}`;
}
