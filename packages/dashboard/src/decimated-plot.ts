import uPlot from 'uplot';
import { decimateMinMax, lowerBound } from './decimate-min-max.js';
import type { MinMaxIndex } from './min-max-index.js';
import type { ResolvedTheme } from './theme.js';

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
  /** A min/max pyramid over `y[0..length)`, kept up to date by the caller: decimation in O(columns log n). */
  readonly index?: MinMaxIndex;
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
  readonly #resize: ResizeObserver;

  constructor(options: DecimatedPlotOptions) {
    this.#options = options;
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
          y: options.logY ? { distr: 3 } : { range: padRange },
          y2: options.logY2 ? { distr: 3 } : { range: padRange },
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
    const joined = joinX(decimated);
    this.#joinedX = joined;
    const data: (ArrayLike<number | null> | Float64Array)[] = [joined];
    decimated.forEach((d, i) => {
      const line = lines[i]!;
      const log = (line.scale ?? 'y') === 'y2' ? logY2 : logY;
      const ys = new Array<number | null>(joined.length).fill(null);
      let j = 0;
      for (let k = 0; k < d.length; k++) {
        const xk = d.x[k]!;
        while (joined[j]! < xk) j++;
        const yk = d.y[k]!;
        ys[j] = log && !(yk > 0) ? null : yk;
      }
      data.push(ys);
    });
    const key = lines
      .map((l) => `${l.label}|${l.color}|${l.width}|${l.alpha}|${l.dash}|${l.scale}|${l.points}`)
      .join(';');
    let u = this.#plot;
    if (key !== this.#seriesKey) {
      this.#seriesKey = key;
      this.#plot.destroy();
      u = this.#plot = this.#create(lines);
    }
    u.setData(data as uPlot.AlignedData, true);
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

  #drawMarks(u: uPlot): void {
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

/** A linear y range with 10 % headroom, so lines at the extremes stay off the frame. */
function padRange(_u: uPlot, min: number, max: number): uPlot.Range.MinMax {
  return uPlot.rangeNum(min, max, 0.1, true);
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

/** The sorted union of the decimated lines' x values. */
function joinX(series: readonly { x: Float64Array; length: number }[]): Float64Array {
  if (series.length === 1) return series[0]!.x.slice(0, series[0]!.length);
  let total = 0;
  for (const s of series) total += s.length;
  const all = new Float64Array(total);
  let offset = 0;
  for (const s of series) {
    all.set(s.x.subarray(0, s.length), offset);
    offset += s.length;
  }
  all.sort();
  let unique = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[unique - 1]) all[unique++] = all[i]!;
  return all.slice(0, unique);
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
