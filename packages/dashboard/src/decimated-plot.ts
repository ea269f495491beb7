import uPlot from 'uplot';
import { formatTick, linearTicks, logTicks } from './axis-ticks.js';
import { type DecimatedSeries, decimateMinMax, lowerBound } from './decimate-min-max.js';
import { LinePath } from './line-path.js';
import { columnEnds, type MinMaxIndex } from './min-max-index.js';
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
  /** Each line decimated over the visible range by the last render (what the draw hook strokes). */
  #decimated: DecimatedSeries[] = [];
  #drawnPoints = 0;
  #ignoreOutliers: boolean;
  #ranges: Record<'y' | 'y2', [number, number]> = { y: [0, 1], y2: [0, 1] };
  #realRanges: Record<'y' | 'y2', [number, number]> = { y: [0, 1], y2: [0, 1] };
  #scratch = new Float64Array(1024);
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
    this.#plot = this.#create();
    this.#resize = new ResizeObserver(() => {
      const width = Math.max(100, options.container.clientWidth);
      if (width !== this.#plot.width) {
        this.#plot.setSize({ width, height: options.height });
        this.render();
      }
    });
    this.#resize.observe(options.container);
  }

  /** The uPlot that draws the axes, grid, cursor and selection. */
  #create(): uPlot {
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
    // The lines are stroked by our draw hook from their decimated points (see `#drawLines`): uPlot
    // draws the axes, grid, cursor and selection, and one hidden series per scale keeps its scales.
    const series: uPlot.Series[] = [{}, { scale: 'y', show: false }];
    if (options.y2Label) series.push({ scale: 'y2', show: false });
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
      [new Float64Array(0), ...series.slice(1).map(() => [])] as uPlot.AlignedData,
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

  /** Number of points the last render drew (every line's, after decimation). */
  get drawnPoints(): number {
    return this.#drawnPoints;
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
    // Lines on the same x column (a run's raw and smoothed loss, its learning rate and momentum)
    // share the search for where each pixel column ends.
    const ends = new Map<ArrayLike<number>, { length: number; ends: Int32Array }>();
    const decimated = lines.map((line) => {
      if (!(line.index && line.index.length === line.length))
        return decimateMinMax({ x: line.x, y: line.y, length: line.length, xMin: min, xMax: max, columns });
      let shared = ends.get(line.x);
      if (shared?.length !== line.length) {
        shared = {
          length: line.length,
          ends: columnEnds({ x: line.x, length: line.length, xMin: min, xMax: max, columns }),
        };
        ends.set(line.x, shared);
      }
      return line.index.decimate({ x: line.x, xMin: min, xMax: max, columns, ends: shared.ends });
    });
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
    this.#decimated = decimated;
    let total = 0;
    for (const d of decimated) total += d.length;
    this.#drawnPoints = total;
    if (this.#scratch.length < total) this.#scratch = new Float64Array(total * 2);
    const scratch = this.#scratch;
    const counts = { y: 0, y2: 0 };
    const include: Record<'y' | 'y2', number[]> = { y: [], y2: [] };
    // Each scale's drawn values go to its own end of the scratch buffer: y from the start, y2
    // from the end (subarray below), so one buffer serves both. A diverged line's values only
    // scale the axis when every line on it diverged: it is drawn (clipped) and marked instead.
    const healthy = { y: false, y2: false };
    for (const line of lines) if (!line.diverged) healthy[line.scale ?? 'y'] = true;
    decimated.forEach((d, i) => {
      const line = lines[i]!;
      const scale = line.scale ?? 'y';
      const log = scale === 'y2' ? logY2 : logY;
      const skip = line.diverged === true && healthy[scale] && this.#ignoreOutliers;
      let lastPlotted = Number.NaN;
      for (let k = 0; k < d.length; k++) {
        const yk = d.y[k]!;
        // NaN, infinities, overflow-sized and (log) non-positive values are gaps, never drawn.
        if (!isPlottable(yk, log)) continue;
        lastPlotted = yk;
        if (skip) continue;
        if (scale === 'y') scratch[counts.y++] = yk;
        else scratch[total - 1 - counts.y2++] = yk;
      }
      if (!line.diverged && line.readout !== false && !Number.isNaN(lastPlotted))
        include[scale].push(lastPlotted);
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
    // uPlot only needs the x extent (its scales take our ranges); the draw hook strokes the lines.
    const empty = [null, null];
    const data: uPlot.AlignedData = this.#options.y2Label
      ? [Float64Array.of(min, max), empty, empty]
      : [Float64Array.of(min, max), empty];
    this.#plot.setData(data, true);
  }

  /**
   * Strokes every line from its decimated points, in device pixels: the points of one pixel
   * column become one vertical stroke (first, extremes, last in their order), a column whose
   * points lie within a pixel becomes one vertex, and a run of vertices at the same height one
   * segment. What is drawn is what uPlot's own per-pixel path drew, with fewer segments for the
   * software rasteriser of a browser without a GPU.
   */
  #drawLines(u: uPlot): void {
    const lines = this.#lines;
    const decimated = this.#decimated;
    if (decimated.length !== lines.length) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = devicePixelRatio || 1;
    const xScale = u.scales.x!;
    const x0 = xScale.min ?? 0;
    const kx = width / ((xScale.max ?? 1) - x0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.lineJoin = 'round';
    ctx.lineCap = 'butt';
    const path = new LinePath();
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const d = decimated[i]!;
      if (d.length === 0) continue;
      const scale = line.scale ?? 'y';
      const log = scale === 'y2' ? this.#options.logY2 : this.#options.logY;
      const yScale = u.scales[scale]!;
      const yTop = yScale.max ?? 1;
      const ky = height / (yTop - (yScale.min ?? 0));
      const factor = this.#factor[scale];
      const color = withAlpha(line.color, line.alpha ?? 1);
      const lineWidth = (line.width ?? 1.5) * dpr;
      const fill = lineWidth > 1 && !line.dash && (line.alpha ?? 1) >= 1;
      const strokePath = new Path2D();
      const fillPath = new Path2D();
      path.start({ mode: fill ? 'fill' : 'stroke', width: lineWidth, stroke: strokePath, fill: fillPath });
      for (let k = 0; k < d.length; k++) {
        const y = d.y[k]!;
        if (!isPlottable(y, log)) continue;
        const axis = log ? Math.log10(y) : y / factor;
        path.add(left + (d.x[k]! - x0) * kx, top + (yTop - axis) * ky);
      }
      path.finish();
      ctx.strokeStyle = color;
      ctx.lineWidth = lineWidth;
      ctx.setLineDash(line.dash ? line.dash.map((v) => v * dpr) : []);
      ctx.stroke(strokePath);
      if (fill) {
        ctx.fillStyle = color;
        ctx.fill(fillPath);
      }
      if (line.points) {
        ctx.fillStyle = line.color;
        const dots = new Path2D();
        const r = 2.5 * dpr;
        for (let k = 0; k < d.length; k++) {
          const y = d.y[k]!;
          if (!isPlottable(y, log)) continue;
          const axis = log ? Math.log10(y) : y / factor;
          const px = left + (d.x[k]! - x0) * kx;
          const py = top + (yTop - axis) * ky;
          dots.moveTo(px + r, py);
          dots.arc(px, py, r, 0, 2 * Math.PI);
        }
        ctx.fill(dots);
      }
    }
    ctx.restore();
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
    this.#drawLines(u);
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
