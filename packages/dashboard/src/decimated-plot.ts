import uPlot from 'uplot';
import { formatTick, linearTicks, logTicks } from './axis-ticks.js';
import { type DecimatedSeries, decimateMinMax, lowerBound } from './decimate-min-max.js';
import { gridX, GRID_SLOTS as SLOTS } from './grid-x.js';
import type { MinMaxIndex } from './min-max-index.js';
import type { ResolvedTheme } from './theme.js';
import { isPlottable, yRange } from './y-range.js';

/** One line of a `DecimatedPlot`: full-resolution columns; the plot decimates them per pixel. */
export interface PlotLine {
  readonly label: string;
  readonly color: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly length: number;
  readonly width?: number;
  /** 0..1, e.g. a faint raw line under its smoothed one. */
  readonly alpha?: number;
  readonly dash?: readonly number[];
  /** `y` (left axis, default) or `y2` (right axis). */
  readonly scale?: 'y' | 'y2';
  /** Draw dots (sparse series such as validation loss). */
  readonly points?: boolean;
  /** Report this line in the hover read-out (default true). */
  readonly readout?: boolean;
  /** The run's name when this line stands for it in the chart's legend (one line per run). */
  readonly legend?: string;
  /** Fill the area between this line and the line with this label (a group's min-max band). */
  readonly fillTo?: string;
  /** A min/max pyramid over `y[0..length)`, kept up to date by the caller: decimation in O(columns log n). */
  readonly index?: MinMaxIndex;
  /**
   * The run diverged: the line ends at its last plottable point, which gets a marker, and its
   * latest value does not pull the y range (it is an outlier by nature).
   */
  readonly diverged?: boolean;
}

/** A vertical marker (a learning-rate change, a restart). */
export interface PlotMark {
  readonly x: number;
  readonly label: string;
}

export interface PlotReadout {
  readonly x: number;
  readonly values: ReadonlyArray<{
    readonly label: string;
    readonly color: string;
    readonly x: number;
    readonly y: number;
  }>;
}

export interface XRange {
  readonly min: number;
  readonly max: number;
}

export interface DecimatedPlotOptions {
  readonly container: HTMLElement;
  readonly theme: ResolvedTheme;
  readonly height: number;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly y2Label?: string;
  readonly logY?: boolean;
  readonly logY2?: boolean;
  /** Called when the user zooms (drag) or resets (double click): `undefined` means follow the data. */
  readonly onZoom?: (range: XRange | undefined) => void;
  readonly onHover?: (readout: PlotReadout | undefined) => void;
  /** Formats x values on the axis (wall time as seconds ...). */
  readonly formatX?: (value: number) => string;
  /** Scale y to the 5th..95th percentile of the visible points (default true); see `yRange`. */
  readonly ignoreOutliers?: boolean;
}

/**
 * A uPlot chart fed with full-resolution series: every `render` decimates each line to min/max per
 * pixel column over the visible x range (so a million points draw as a few thousand, and spikes
 * stay), joins them onto one x axis for uPlot, and draws. Zooming re-decimates the zoomed range
 * from the full data, so detail appears as the user zooms in; without a zoom the domain follows
 * the data as it grows.
 */
export class DecimatedPlot {
  readonly #options: DecimatedPlotOptions;
  #plot: uPlot;
  #lines: readonly PlotLine[] = [];
  #marks: readonly PlotMark[] = [];
  #zoom: XRange | undefined;
  #domain: [number, number] = [0, 1];
  #joinedX: Float64Array = new Float64Array(0);
  #seriesKey = '';
  #ignoreOutliers: boolean;
  #ranges: Record<'y' | 'y2', [number, number]> = { y: [0, 1], y2: [0, 1] };
  #realRanges: Record<'y' | 'y2', [number, number]> = { y: [0, 1], y2: [0, 1] };
  #scratch = new Float64Array(1024);
  /** Each line's y values aligned on the joined x axis, kept between renders. */
  #rows: (number | null)[][] = [];
  /** Decimated points of the lines that fill to a partner (drawn as bands by `#drawBands`). */
  #bands: { color: string; scale: 'y' | 'y2'; upper: DecimatedSeries; lower: DecimatedSeries }[] = [];
  #labels: Record<'y' | 'y2', string[]> = { y: [], y2: [] };
  /**
   * uPlot finds no tick increment past 17 integer digits (a diverged run's 1e150) and its log
   * scale breaks on ranges like 1e-300..1e300, so it only ever sees axis units: log10(y) on a log
   * axis, y divided by a power of ten on a linear one. Ticks are labelled with the real values.
   */
  #factor: Record<'y' | 'y2', number> = { y: 1, y2: 1 };
  readonly #resize: ResizeObserver;

  constructor(options: DecimatedPlotOptions) {
    this.#options = options;
    this.#ignoreOutliers = options.ignoreOutliers ?? true;
    this.#plot = this.#create([]);
    this.#resize = new ResizeObserver(() => {
      const width = Math.max(100, options.container.clientWidth);
      if (width !== this.#plot.width) {
        this.#plot.setSize({ width, height: options.height });
        this.render();
      }
    });
    this.#resize.observe(options.container);
  }

  /** A uPlot for these lines (series are fixed at creation: uPlot's delSeries fails without its legend). */
  #create(lines: readonly PlotLine[]): uPlot {
    const options = this.#options;
    const { theme } = options;
    const axis = (label: string, scale: string, side?: number): uPlot.Axis => ({
      label,
      scale,
      stroke: theme.muted,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      ...(side !== undefined ? { side } : {}),
      ...(scale === 'x' && options.formatX
        ? { values: (_u: uPlot, splits: number[]) => splits.map((v) => options.formatX!(v)) }
        : {}),
      // Our own ticks on y: labels for any range the data can produce (1e-29 .. 1e150 included).
      ...(scale === 'x'
        ? {}
        : {
            splits: (u: uPlot) => this.#ticks(u, scale as 'y' | 'y2'),
            // uPlot's log filter would blank labels it did not choose itself.
            filter: (_u: uPlot, splits: number[]) => splits,
            values: (_u: uPlot, splits: number[]) => {
              const labels = splits.map((v) => formatTick(this.#fromAxis(scale as 'y' | 'y2', v)));
              this.#labels[scale as 'y' | 'y2'] = labels;
              return labels;
            },
          }),
    });
    const axes = [axis(options.xLabel, 'x'), axis(options.yLabel, 'y')];
    if (options.y2Label) axes.push({ ...axis(options.y2Label, 'y2', 1), grid: { show: false } });
    const series: uPlot.Series[] = [{}];
    for (const line of lines)
      series.push({
        label: line.label,
        scale: line.scale ?? 'y',
        stroke: withAlpha(line.color, line.alpha ?? 1),
        width: line.width ?? 1.5,
        spanGaps: true,
        ...(line.dash ? { dash: [...line.dash] } : {}),
        points: line.points ? { show: true, size: 5, fill: line.color, stroke: line.color } : { show: false },
      });
    const plot = new uPlot(
      {
        width: Math.max(100, options.container.clientWidth),
        height: options.height,
        legend: { show: false },
        pxAlign: 0,
        scales: {
          x: { time: false, range: () => this.#domain },
          y: { range: () => this.#ranges.y },
          y2: { range: () => this.#ranges.y2 },
        },
        axes,
        series,
        cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
        hooks: {
          setSelect: [(u) => this.#onSelect(u)],
          setCursor: [(u) => this.#onCursor(u)],
          draw: [(u) => this.#drawMarks(u)],
        },
      },
      [new Float64Array(0), ...lines.map(() => [])] as uPlot.AlignedData,
      options.container,
    );
    plot.over.addEventListener('dblclick', () => this.setZoom(undefined, true));
    plot.over.addEventListener('mouseleave', () => options.onHover?.(undefined));
    return plot;
  }

  get canvas(): HTMLCanvasElement {
    return this.#plot.ctx.canvas;
  }

  get zoom(): XRange | undefined {
    return this.#zoom;
  }

  /** The x range drawn by the last render. */
  get domain(): XRange {
    return { min: this.#domain[0], max: this.#domain[1] };
  }

  /** The x extent of all the data (what the plot shows when not zoomed). */
  get dataDomain(): XRange {
    const [min, max] = dataExtent(this.#lines);
    return { min, max };
  }

  /** Number of points handed to uPlot by the last render (after decimation). */
  get drawnPoints(): number {
    return this.#joinedX.length;
  }

  /** The y range drawn by the last render (`y2` for the right axis). */
  yRange(scale: 'y' | 'y2' = 'y'): XRange {
    const [min, max] = this.#realRanges[scale];
    return { min, max };
  }

  /** The y axis' tick labels as last drawn (they are painted on the canvas, not in the DOM). */
  tickLabels(scale: 'y' | 'y2' = 'y'): readonly string[] {
    return this.#labels[scale];
  }

  get ignoreOutliers(): boolean {
    return this.#ignoreOutliers;
  }

  /** Switches the outlier-ignoring y range on or off, and redraws. */
  setIgnoreOutliers(on: boolean): void {
    if (on === this.#ignoreOutliers) return;
    this.#ignoreOutliers = on;
    this.render();
  }

  setData(lines: readonly PlotLine[], marks: readonly PlotMark[] = []): void {
    this.#lines = lines;
    this.#marks = marks;
    this.render();
  }

  /** Zooms to `range`, or follows the data again with `undefined`. */
  setZoom(range: XRange | undefined, fromUser = false): void {
    this.#zoom = range;
    this.render();
    if (fromUser) this.#options.onZoom?.(range);
  }

  /** Decimates every line over the visible range and redraws. */
  render(): void {
    const lines = this.#lines;
    let [min, max] = this.#zoom ? [this.#zoom.min, this.#zoom.max] : dataExtent(lines);
    if (!(max > min)) [min, max] = [min - 0.5, max + 0.5];
    this.#domain = [min, max];
    const columns = Math.max(
      1,
      Math.round(this.#plot.bbox.width / (devicePixelRatio || 1) || this.#plot.width),
    );
    const logY = this.#options.logY;
    const logY2 = this.#options.logY2;
    const decimated = lines.map((line) =>
      line.index && line.index.length === line.length
        ? line.index.decimate({ x: line.x, xMin: min, xMax: max, columns })
        : decimateMinMax({ x: line.x, y: line.y, length: line.length, xMin: min, xMax: max, columns }),
    );
    // Bands are filled by our draw hook from each line's own decimated points: uPlot's bands
    // between two series decimated to different x values (nulls in both) are not reliable.
    this.#bands = [];
    lines.forEach((line, i) => {
      if (line.fillTo === undefined) return;
      const partner = lines.findIndex((l) => l.label === line.fillTo);
      if (partner >= 0)
        this.#bands.push({
          color: line.color,
          scale: line.scale ?? 'y',
          upper: decimated[i]!,
          lower: decimated[partner]!,
        });
    });
    // One x axis for uPlot: SLOTS positions per pixel column, each line's points placed in its
    // column's slots in order (at most a pixel from where they are), and the points outside the
    // range (which carry the lines to the edges) at their own x. No sort of every line's points,
    // and the aligned columns stay about 4 x columns long however many lines there are.
    const joined = gridX(decimated, min, max, columns);
    this.#joinedX = joined.x;
    const slots = joined.x.length;
    const data: (ArrayLike<number | null> | Float64Array)[] = [joined.x];
    let total = 0;
    for (const d of decimated) total += d.length;
    if (this.#scratch.length < total) this.#scratch = new Float64Array(total * 2);
    const scratch = this.#scratch;
    const counts = { y: 0, y2: 0 };
    const include: Record<'y' | 'y2', number[]> = { y: [], y2: [] };
    // Each scale's visible values go to its own end of the scratch buffer: y from the start, y2
    // from the end (subarray below), so one buffer serves both. A diverged line's values only
    // scale the axis when every line on it diverged: it is drawn (clipped) and marked instead.
    const healthy = { y: false, y2: false };
    for (const line of lines) if (!line.diverged) healthy[line.scale ?? 'y'] = true;
    const toColumn = columns / (max - min);
    const gridStart = joined.before.length;
    if (this.#rows.length > lines.length) this.#rows.length = lines.length;
    decimated.forEach((d, i) => {
      const line = lines[i]!;
      const scale = line.scale ?? 'y';
      const log = scale === 'y2' ? logY2 : logY;
      // The previous frame's row, reused (uPlot is handed the new values right below).
      let ys = this.#rows[i];
      if (ys?.length !== slots) this.#rows[i] = ys = new Array<number | null>(slots);
      ys.fill(null);
      let lastPlotted = Number.NaN;
      let column = -1;
      let slot = 0;
      for (let k = 0; k < d.length; k++) {
        const xk = d.x[k]!;
        let j: number;
        if (xk < min) j = lowerBound(joined.before, joined.before.length, xk);
        else if (xk > max)
          j = gridStart + SLOTS * columns + lowerBound(joined.after, joined.after.length, xk);
        else {
          const c = Math.min(columns - 1, Math.floor((xk - min) * toColumn));
          // A decimated line has at most 4 points per column; a fifth (rounding at a column's
          // edge) takes the last slot, within the same pixel.
          slot = c === column ? Math.min(slot + 1, SLOTS - 1) : 0;
          column = c;
          j = gridStart + c * SLOTS + slot;
        }
        const yk = d.y[k]!;
        // NaN, infinities, overflow-sized and (log) non-positive values are gaps, never drawn.
        if (!isPlottable(yk, log)) continue;
        ys[j] = yk;
        lastPlotted = yk;
        if (line.diverged && healthy[scale] && this.#ignoreOutliers) continue;
        if (scale === 'y') scratch[counts.y++] = yk;
        else scratch[total - 1 - counts.y2++] = yk;
      }
      if (!line.diverged && line.readout !== false && !Number.isNaN(lastPlotted))
        include[scale].push(lastPlotted);
      data.push(ys);
    });
    const ignoreOutliers = this.#ignoreOutliers;
    const ranges = {
      y: yRange(scratch, counts.y, { log: logY === true, ignoreOutliers, include: include.y }),
      y2: yRange(scratch.subarray(total - counts.y2, total), counts.y2, {
        log: logY2 === true,
        ignoreOutliers,
        include: include.y2,
      }),
    };
    this.#realRanges = ranges;
    this.#factor = { y: scaleFactor(ranges.y, logY), y2: scaleFactor(ranges.y2, logY2) };
    this.#ranges = {
      y: [this.#toAxis('y', ranges.y[0]), this.#toAxis('y', ranges.y[1])],
      y2: [this.#toAxis('y2', ranges.y2[0]), this.#toAxis('y2', ranges.y2[1])],
    };
    lines.forEach((line, i) => {
      const scale = line.scale ?? 'y';
      if (this.#factor[scale] === 1 && !(scale === 'y2' ? logY2 : logY)) return;
      const ys = data[i + 1] as (number | null)[];
      for (let k = 0; k < ys.length; k++) if (ys[k] !== null) ys[k] = this.#toAxis(scale, ys[k]!);
    });
    const key = lines
      .map((l) => `${l.label}|${l.color}|${l.width}|${l.alpha}|${l.dash}|${l.scale}|${l.points}|${l.fillTo}`)
      .join(';');
    let u = this.#plot;
    if (key !== this.#seriesKey) {
      this.#seriesKey = key;
      this.#plot.destroy();
      u = this.#plot = this.#create(lines);
    }
    u.setData(data as uPlot.AlignedData, true);
  }

  /** Where the diverged lines end (their last plottable point), as drawn; for tests. */
  divergedEnds(): { label: string; x: number; y: number }[] {
    const out: { label: string; x: number; y: number }[] = [];
    for (const line of this.#lines) {
      if (!line.diverged) continue;
      const log = (line.scale ?? 'y') === 'y2' ? this.#options.logY2 : this.#options.logY;
      for (let i = line.length - 1; i >= 0; i--)
        if (isPlottable(line.y[i]!, log)) {
          out.push({ label: line.label, x: line.x[i]!, y: line.y[i]! });
          break;
        }
    }
    return out;
  }

  #ticks(u: uPlot, scale: 'y' | 'y2'): number[] {
    const { min, max } = u.scales[scale]!;
    if (min == null || max == null) return [];
    const log = scale === 'y2' ? this.#options.logY2 : this.#options.logY;
    // About one label per 40 px of height.
    const target = Math.max(2, Math.min(8, Math.round(u.bbox.height / devicePixelRatio / 40)));
    const lo = this.#fromAxis(scale, min);
    const hi = this.#fromAxis(scale, max);
    return (log ? logTicks(lo, hi, target) : linearTicks(lo, hi, target)).map((v) => this.#toAxis(scale, v));
  }

  /** A y value in the units uPlot is given (see `#factor`). */
  #toAxis(scale: 'y' | 'y2', value: number): number {
    if (scale === 'y2' ? this.#options.logY2 : this.#options.logY) return Math.log10(value);
    return value / this.#factor[scale];
  }

  #fromAxis(scale: 'y' | 'y2', value: number): number {
    if (scale === 'y2' ? this.#options.logY2 : this.#options.logY) return 10 ** value;
    return value * this.#factor[scale];
  }

  /**
   * A cross where each diverged line ends, labelled; clamped to the plot's edge when that point
   * lies outside the y range (a loss of 1e150 with outliers ignored).
   */
  #drawDiverged(u: uPlot): void {
    const ends = this.divergedEnds();
    if (ends.length === 0) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = devicePixelRatio || 1;
    const r = 4 * dpr;
    ctx.save();
    ctx.lineWidth = 2 * dpr;
    ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
    for (const end of ends) {
      if (end.x < this.#domain[0] || end.x > this.#domain[1]) continue;
      const line = this.#lines.find((l) => l.label === end.label)!;
      const px = u.valToPos(end.x, 'x', true);
      const raw = u.valToPos(this.#toAxis(line.scale ?? 'y', end.y), line.scale ?? 'y', true);
      const py = Math.min(top + height - r, Math.max(top + r, raw));
      ctx.strokeStyle = line.color;
      ctx.fillStyle = line.color;
      ctx.beginPath();
      ctx.moveTo(px - r, py - r);
      ctx.lineTo(px + r, py + r);
      ctx.moveTo(px + r, py - r);
      ctx.lineTo(px - r, py + r);
      ctx.stroke();
      const text = raw < top ? 'diverged \u2191' : raw > top + height ? 'diverged \u2193' : 'diverged';
      const tw = ctx.measureText(text).width;
      const tx = px + r + 3 + tw > left + width ? px - r - 3 - tw : px + r + 3;
      ctx.fillText(text, tx, py + 3 * dpr);
    }
    ctx.restore();
  }

  destroy(): void {
    this.#resize.disconnect();
    this.#plot.destroy();
  }

  #onSelect(u: uPlot): void {
    if (u.select.width < 3) return;
    const min = u.posToVal(u.select.left, 'x');
    const max = u.posToVal(u.select.left + u.select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.setZoom({ min, max }, true);
  }

  #onCursor(u: uPlot): void {
    const onHover = this.#options.onHover;
    if (!onHover) return;
    const left = u.cursor.left;
    if (left === undefined || left < 0) {
      onHover(undefined);
      return;
    }
    const x = u.posToVal(left, 'x');
    const values: PlotReadout['values'][number][] = [];
    for (const line of this.#lines) {
      if (line.readout === false || line.length === 0) continue;
      const i = nearestIndex(line.x, line.length, x);
      if (!Number.isFinite(line.y[i]!)) continue;
      values.push({ label: line.label, color: line.color, x: line.x[i]!, y: line.y[i]! });
    }
    onHover({ x, values });
  }

  #drawBands(u: uPlot): void {
    if (this.#bands.length === 0) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (const band of this.#bands) {
      const log = band.scale === 'y2' ? this.#options.logY2 : this.#options.logY;
      ctx.fillStyle = withAlpha(band.color, 0.18);
      ctx.beginPath();
      let first = true;
      const point = (x: number, y: number) => {
        if (!isPlottable(y, log)) return;
        const px = u.valToPos(x, 'x', true);
        const py = u.valToPos(this.#toAxis(band.scale, y), band.scale, true);
        if (first) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
        first = false;
      };
      for (let k = 0; k < band.upper.length; k++) point(band.upper.x[k]!, band.upper.y[k]!);
      for (let k = band.lower.length - 1; k >= 0; k--) point(band.lower.x[k]!, band.lower.y[k]!);
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  }

  #drawMarks(u: uPlot): void {
    this.#drawBands(u);
    this.#drawDiverged(u);
    if (this.#marks.length === 0) return;
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = this.#options.theme.muted;
    ctx.fillStyle = this.#options.theme.muted;
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1;
    ctx.font = `${Math.round(10 * devicePixelRatio)}px system-ui, sans-serif`;
    for (const mark of this.#marks) {
      if (mark.x < this.#domain[0] || mark.x > this.#domain[1]) continue;
      const px = Math.round(u.valToPos(mark.x, 'x', true));
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, top + height);
      ctx.stroke();
      ctx.fillText(mark.label, px + 3, top + 12 * devicePixelRatio);
    }
    ctx.restore();
  }
}

/** 1, or the power of ten that brings a linear range's magnitude near 1 when it is past 1e12. */
function scaleFactor([min, max]: [number, number], log: boolean | undefined): number {
  if (log) return 1;
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  if (!(magnitude > 1e12)) return 1;
  return 10 ** Math.floor(Math.log10(magnitude));
}

function dataExtent(lines: readonly PlotLine[]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const line of lines) {
    if (line.length === 0) continue;
    min = Math.min(min, line.x[0]!);
    max = Math.max(max, line.x[line.length - 1]!);
  }
  return min <= max ? [min, max] : [0, 1];
}

function nearestIndex(x: ArrayLike<number>, length: number, value: number): number {
  const i = lowerBound(x, length, value);
  if (i >= length) return length - 1;
  if (i === 0) return 0;
  return value - x[i - 1]! <= x[i]! - value ? i - 1 : i;
}

/** `color` with an opacity, for any CSS colour string (canvas accepts color-mix in Chromium 111+). */
function withAlpha(color: string, alpha: number): string {
  if (alpha >= 1) return color;
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = Number.parseInt(hex[1]!, 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`;
}
