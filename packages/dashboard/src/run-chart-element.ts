import type { TrainEvent } from '@downhill/core';
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  DecimatedPlot,
  type PlotLine,
  type PlotMark,
  type PlotReadout,
  type XRange,
} from './decimated-plot.js';
import { downloadBlob } from './download.js';
import { figureFileName, figurePng } from './figure-png.js';
import { linesToCsv } from './lines-to-csv.js';
import { MinMaxIndex } from './min-max-index.js';
import { ObservableController, type StreamSource } from './observable-controller.js';
import type { RunSeries } from './run-series.js';
import { RunStore } from './run-store.js';
import type { RunStoreFeed } from './run-store-feed.js';
import { type ResolvedTheme, resolveTheme, themeStyles, watchColorScheme } from './theme.js';
import { uplotStyles } from './uplot-styles.js';

/** What a chart element hands its plot: axis labels and scales (a change rebuilds the plot). */
export interface PlotSetup {
  readonly xLabel: string;
  readonly yLabel: string;
  readonly y2Label?: string;
  readonly logY?: boolean;
  readonly logY2?: boolean;
  readonly formatX?: (value: number) => string;
}

/** Detail of the `zoom-change` event: the zoomed x range, or `undefined` when back to following the data. */
export interface ZoomChangeDetail {
  readonly range: XRange | undefined;
  readonly xAxis: string;
}

/**
 * What every Downhill chart shares: TrainEvents in through one ObservableController into a
 * `RunStore`, one redraw per animation frame, a `DecimatedPlot` whose y range ignores outliers by
 * default, zoom, a persistent legend that shows each run's value under the pointer, and export
 * of what is plotted as CSV and PNG (with title and legend). Fires `zoom-change` and, when a
 * display option changes, `options-change`. Subclasses say which lines to draw.
 */
export abstract class RunChartElement extends LitElement {
  static override styles = [
    themeStyles,
    uplotStyles,
    css`
      .plot {
        position: relative;
        min-height: 60px;
      }
      .readout {
        min-height: 1.4em;
        font-size: 12px;
        color: var(--_muted);
        font-variant-numeric: tabular-nums;
        display: flex;
        flex-wrap: wrap;
        gap: 2px 12px;
        align-items: center;
      }
      .readout label {
        display: inline-flex;
        gap: 3px;
        align-items: center;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 14px;
        margin: 2px 0 0;
        padding: 0;
        list-style: none;
        font-size: 12px;
        font-variant-numeric: tabular-nums;
      }
      .legend .value {
        font-weight: 600;
        margin-left: 4px;
      }
      .swatch {
        display: inline-block;
        width: 10px;
        height: 3px;
        vertical-align: middle;
        margin-right: 4px;
      }
      h3 {
        font-size: 14px;
        margin: 0 0 4px;
      }
    `,
  ];

  /** The runs' events: an Observable (live) or an array (history). Several runs may be mixed. */
  @property({ attribute: false }) accessor events: StreamSource<TrainEvent> | undefined;
  /** Only these runs, in this order (default: every run in `events`). */
  @property({ attribute: false }) accessor runIds: readonly string[] | undefined;
  @property({ type: Number }) accessor height = 260;
  @property() accessor heading = '';
  /**
   * Scale y to all the visible points instead of their 5th..95th percentile (TensorBoard's
   * "ignore outliers in chart scaling", which is the default here).
   */
  @property({ type: Boolean, attribute: 'show-outliers' }) accessor showOutliers = false;
  /** Hovering also lists the raw values (and validation points) beside the smoothed ones. */
  @property({ type: Boolean, attribute: 'show-raw' }) accessor showRaw = false;
  /** Hovering orders the legend by the values under the pointer, highest first. */
  @property({ type: Boolean, attribute: 'sort-by-value' }) accessor sortByValue = false;

  @state() protected accessor readout: PlotReadout | undefined;
  @state() protected accessor zoomed: XRange | undefined;

  /**
   * A page's shared store of runs (`RunStoreFeed`): when set, the chart draws from it and ignores
   * `events`, so several charts of the same runs hold and ingest them once.
   */
  @property({ attribute: false }) accessor feed: RunStoreFeed | undefined;

  readonly #ownStore = new RunStore();
  #unfeed: (() => void) | undefined;

  /** Every event received so far, per run (the feed's store when there is a feed). */
  get store(): RunStore {
    return this.feed?.store ?? this.#ownStore;
  }
  protected readonly stream = new ObservableController<TrainEvent>(this, {
    next: (events) => this.#ownStore.addAll(events),
  });
  #plot: DecimatedPlot | undefined;
  #plotKey = '';
  #lines: readonly PlotLine[] = [];
  #drawnVersion = -1;
  #legendKey = '';
  #generation = -1;
  #unwatchScheme: (() => void) | undefined;
  protected theme: ResolvedTheme | undefined;
  readonly #indexes = new Map<string, MinMaxIndex>();
  readonly #revisions = new Map<string, number>();

  /** The plot, once rendered (for tests and benchmarks). */
  get plot(): DecimatedPlot | undefined {
    return this.#plot;
  }

  /** The lines drawn by the last render, at full resolution. */
  get lines(): readonly PlotLine[] {
    return this.#lines;
  }

  protected abstract plotSetup(): PlotSetup;
  protected abstract buildLines(theme: ResolvedTheme): { lines: PlotLine[]; marks?: PlotMark[] };
  protected abstract toolbar(): TemplateResult;
  protected abstract get xAxisName(): string;
  protected abstract get yAxisName(): string;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unwatchScheme = watchColorScheme(() => {
      this.#plotKey = '';
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unfeed?.();
    this.#unfeed = undefined;
    this.#unwatchScheme?.();
    this.#plot?.destroy();
    this.#plot = undefined;
    this.#plotKey = '';
  }

  /**
   * The min/max pyramid of one plotted column, brought up to `length`. `key` must change whenever
   * the column is recomputed rather than appended to (a new smoothing weight, a new run).
   */
  protected indexFor(key: string, y: ArrayLike<number>, length: number): MinMaxIndex {
    let index = this.#indexes.get(key);
    if (!index) this.#indexes.set(key, (index = new MinMaxIndex()));
    index.update(y, length);
    return index;
  }

  /**
   * Drops a run's pyramids when detail was merged inside its columns since the last call (keys
   * start with `runId|`); true when it did.
   */
  protected syncRevision(run: RunSeries): boolean {
    const seen = this.#revisions.get(run.runId);
    this.#revisions.set(run.runId, run.revision);
    if (seen === undefined || seen === run.revision) return false;
    this.dropIndexes(`${run.runId}|`);
    return true;
  }

  /** Drops the pyramids whose key starts with `prefix` (all with ''). */
  protected dropIndexes(prefix: string): void {
    for (const key of [...this.#indexes.keys()]) if (key.startsWith(prefix)) this.#indexes.delete(key);
  }

  /** The x column's name in CSV exports (the values are written as stored). */
  protected get csvXName(): string {
    return this.xAxisName;
  }

  /** An x value as the read-out shows it (the time axis stores ms, shows s). */
  protected readoutX(x: number): number {
    return x;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('showRaw')) this.invalidate();
    if (changed.has('events') || changed.has('feed')) {
      this.dropIndexes('');
      this.#revisions.clear();
      this.#ownStore.clear();
      this.stream.source = this.feed ? undefined : this.events;
    }
    if (changed.has('feed') || (this.feed && !this.#unfeed)) {
      this.#unfeed?.();
      this.#unfeed = this.feed?.subscribe(() => this.requestUpdate());
    }
  }

  protected override render(): TemplateResult {
    const readout = this.readout;
    return html`
      ${this.heading ? html`<h3>${this.heading}</h3>` : nothing}
      <div class="toolbar" role="toolbar" aria-label="${this.heading || 'chart'} options">
        ${this.toolbar()}
        <label title="Scale the y axis to the 5th..95th percentile of the visible points"
          ><input
            type="checkbox"
            name="ignoreOutliers"
            .checked=${!this.showOutliers}
            @change=${(e: Event) => {
              this.showOutliers = !(e.target as HTMLInputElement).checked;
            }}
          />ignore outliers</label
        >
        <button type="button" @click=${() => this.zoomBy(0.5)}>Zoom in</button>
        <button type="button" ?disabled=${!this.zoomed} @click=${() => this.zoomBy(2)}>Zoom out</button>
        <button type="button" ?disabled=${!this.zoomed} @click=${() => this.resetZoom()}>Reset zoom</button>
        <button type="button" @click=${() => this.exportCsv()}>Export CSV</button>
        <button type="button" @click=${() => this.exportPng()}>Export PNG</button>
      </div>
      <div class="plot" part="plot" role="img" aria-label=${this.#describe()}></div>
      ${this.#legend(readout)}
      <div class="readout" aria-live="off">
        <span
          >${
            readout
              ? `at ${this.xAxisName} ${formatNumber(this.readoutX(readout.x))}`
              : 'Hover for values; drag to zoom, double-click to reset.'
          }</span
        >
        <label
          ><input
            type="checkbox"
            name="showRaw"
            .checked=${this.showRaw}
            @change=${(e: Event) => {
              this.showRaw = (e.target as HTMLInputElement).checked;
            }}
          />raw values</label
        >
        <label
          ><input
            type="checkbox"
            name="sortByValue"
            .checked=${this.sortByValue}
            @change=${(e: Event) => {
              this.sortByValue = (e.target as HTMLInputElement).checked;
            }}
          />sort by value</label
        >
        ${this.#extraValues(readout)}
      </div>
    `;
  }

  /** The runs on the chart: one entry per run (name and colour), with its value under the pointer. */
  get legendEntries(): { readonly name: string; readonly color: string; readonly label: string }[] {
    const out: { name: string; color: string; label: string }[] = [];
    for (const line of this.#lines)
      if (line.legend !== undefined) out.push({ name: line.legend, color: line.color, label: line.label });
    return out;
  }

  #legend(readout: PlotReadout | undefined): TemplateResult {
    const values = new Map(readout?.values.map((v) => [v.label, v.y]));
    const rows = this.legendEntries.map((entry) => ({ ...entry, value: values.get(entry.label) }));
    if (readout && this.sortByValue)
      rows.sort((a, b) => (b.value ?? Number.NEGATIVE_INFINITY) - (a.value ?? Number.NEGATIVE_INFINITY));
    return html`<ul class="legend" aria-label="legend">
      ${rows.map(
        (row) =>
          html`<li data-label=${row.label}>
            <span class="swatch" style="background:${row.color}"></span>${row.name}${
              row.value !== undefined ? html`<span class="value">${formatNumber(row.value)}</span>` : nothing
            }
          </li>`,
      )}
    </ul>`;
  }

  /** Read-out values of lines that are not a run's legend line (raw, validation), on demand. */
  #extraValues(readout: PlotReadout | undefined): TemplateResult | typeof nothing {
    if (!readout) return nothing;
    const legendLabels = new Set(this.legendEntries.map((e) => e.label));
    const extra = readout.values.filter((v) => !legendLabels.has(v.label));
    if (extra.length === 0) return nothing;
    if (this.sortByValue) extra.sort((a, b) => b.y - a.y);
    return html`${extra.map(
      (v) =>
        html`<span><span class="swatch" style="background:${v.color}"></span>${v.label}: ${formatNumber(v.y)}</span>`,
    )}`;
  }

  /** Display options whose change fires `options-change` (a page saves them in its URL). */
  static readonly viewOptions: readonly string[] = [
    'smoothing',
    'yScale',
    'xAxis',
    'showOutliers',
    'showRaw',
    'sortByValue',
  ];

  protected override updated(changed: PropertyValues<this>): void {
    const options = (this.constructor as typeof RunChartElement).viewOptions;
    const previous = changed as Map<PropertyKey, unknown>;
    // The first render reports defaults, not a user's change: `get` is undefined then.
    if (options.some((name) => previous.has(name) && previous.get(name) !== undefined))
      this.dispatchEvent(new CustomEvent('options-change', { bubbles: true, composed: true }));
    const container = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!container) return;
    const setup = this.plotSetup();
    this.theme ??= resolveTheme(this);
    const key = `${setup.xLabel}|${setup.yLabel}|${setup.y2Label}|${setup.logY}|${setup.logY2}|${this.height}`;
    if (key !== this.#plotKey || !this.#plot) {
      this.theme = resolveTheme(this);
      this.#plot?.destroy();
      container.replaceChildren();
      this.#plot = new DecimatedPlot({
        container,
        theme: this.theme,
        height: this.height,
        ignoreOutliers: !this.showOutliers,
        ...setup,
        onZoom: (range) => this.#onZoom(range),
        onHover: (readout) => {
          this.readout = readout;
        },
      });
      if (this.zoomed) this.#plot.setZoom(this.zoomed);
      this.#plotKey = key;
      this.#drawnVersion = -1;
    }
    this.#plot.setIgnoreOutliers(!this.showOutliers);
    this.redraw();
  }

  /** Rebuilds the lines and draws them (called once per frame at most, from `updated`). */
  protected redraw(force = false): void {
    if (!this.#plot || !this.theme) return;
    if (this.store.generation !== this.#generation) {
      // The store was cleared (a new source for a shared feed): start the derived data over.
      this.#generation = this.store.generation;
      this.dropIndexes('');
      this.#revisions.clear();
      this.storeReset();
      force = true;
    }
    if (!force && this.#drawnVersion === this.store.version && this.#lines.length > 0) return;
    const { lines, marks } = this.buildLines(this.theme);
    this.#lines = lines;
    // The legend is rendered from the lines: render again when the runs on it changed.
    const legendKey = lines
      .map((l) => (l.legend === undefined ? '' : `${l.legend}|${l.color}|${l.label}`))
      .join('\n');
    if (legendKey !== this.#legendKey) {
      this.#legendKey = legendKey;
      this.requestUpdate();
    }
    this.#drawnVersion = this.store.version;
    this.#plot.setData(lines, marks ?? []);
  }

  /** Called when the store was cleared: subclasses drop what they derived from its runs. */
  protected storeReset(): void {}

  /** Forces the next `updated` to rebuild the lines (a display option changed). */
  protected invalidate(): void {
    this.#drawnVersion = -1;
    this.requestUpdate();
  }

  /**
   * Zooms the x range by `factor` (0.5: in, 2: out) around its centre, as the toolbar buttons do
   * for keyboard users; zooming out past the data goes back to following it.
   */
  zoomBy(factor: number): void {
    const plot = this.#plot;
    if (!plot) return;
    const { min, max } = plot.domain;
    const centre = (min + max) / 2;
    const half = ((max - min) / 2) * factor;
    const full = plot.dataDomain;
    if (factor > 1 && centre - half <= full.min && centre + half >= full.max) plot.setZoom(undefined, true);
    else plot.setZoom({ min: centre - half, max: centre + half }, true);
  }

  /**
   * Adds detail: the exact step events of a range whose history arrived downsampled (what a page
   * fetches from the server on `zoom-change`). They are merged into the runs in step order.
   */
  addDetail(events: readonly TrainEvent[]): number {
    const inserted = this.store.mergeDetail(events);
    if (inserted > 0) this.invalidate();
    return inserted;
  }

  resetZoom(): void {
    this.#plot?.setZoom(undefined, true);
  }

  /**
   * Zooms the x axis to `range` (`undefined`: follow the data) as if the user had, firing
   * `zoom-change`; before the first draw, the range is applied when the plot is created (a page
   * restoring a saved view).
   */
  zoomTo(range: XRange | undefined): void {
    if (this.#plot) this.#plot.setZoom(range, true);
    else this.zoomed = range;
  }

  /** The plotted lines at full resolution (the visible range when zoomed), as CSV. */
  toCsv(): string {
    return linesToCsv(this.#lines, {
      xName: this.csvXName,
      yName: this.yAxisName,
      ...(this.zoomed ? { range: this.zoomed } : {}),
    });
  }

  exportCsv(): void {
    downloadBlob(this.fileName('csv'), new Blob([this.toCsv()], { type: 'text/csv' }));
  }

  /** The plot as PNG with the chart's title above and its legend below. */
  async toPng(): Promise<Blob> {
    if (!this.#plot) throw new Error(`${this.localName}: nothing is plotted yet`);
    return figurePng({
      canvas: this.#plot.canvas,
      title: `${this.heading || this.localName}: ${this.yAxisName} by ${this.xAxisName}`,
      legend: this.legendEntries.map((e) => ({ label: e.name, color: e.color })),
      background: this.theme?.bg ?? '#fff',
      foreground: this.theme?.fg ?? '#000',
    });
  }

  async exportPng(): Promise<void> {
    downloadBlob(this.fileName('png'), await this.toPng());
  }

  /** The export's file name: the chart and the runs on it (see `figureFileName`). */
  fileName(extension: 'png' | 'csv'): string {
    return figureFileName(
      this.heading || this.localName,
      this.legendEntries.map((e) => e.name),
      extension,
    );
  }

  #onZoom(range: XRange | undefined): void {
    this.zoomed = range;
    this.dispatchEvent(
      new CustomEvent<ZoomChangeDetail>('zoom-change', {
        detail: { range, xAxis: this.xAxisName },
        bubbles: true,
        composed: true,
      }),
    );
    this.invalidate();
  }

  #describe(): string {
    const runs = this.store.runs(this.runIds).length;
    return `${this.heading || 'Chart'}: ${this.yAxisName} by ${this.xAxisName}, ${runs} run${runs === 1 ? '' : 's'}`;
  }
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return Number(value.toPrecision(5)).toString();
}
