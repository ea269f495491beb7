import type { TrainEvent } from '@downhill/core';
import { contours } from 'd3-contour';
import { css, html, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { downloadBlob } from './download.js';
import { figureFileName, figurePng } from './figure-png.js';
import { GrowableArray } from './growable-array.js';
import { projectOnPlane } from './landscape-slice.js';
import { contourLevels, includePoint, type LossGrid, type PlaneBounds, sampleLossGrid } from './loss-grid.js';
import { ObservableController, type StreamSource } from './observable-controller.js';
import { formatNumber } from './run-chart-element.js';
import type { RunSeries } from './run-series.js';
import { RunStore } from './run-store.js';
import type { RunStoreFeed } from './run-store-feed.js';
import { type ResolvedTheme, resolveTheme, themeStyles, watchColorScheme } from './theme.js';

/**
 * `<downhill-trajectory>`: for 2-parameter problems, the loss surface as filled contours
 * (d3-contour, levels spaced geometrically when the loss spans decades) with each run's path
 * through parameter space drawn over it as it trains; several runs overlay, so optimizers started
 * from the same point can be compared. The surface comes from `grid` (precomputed data) or from
 * `loss` (a function sampled here over `bounds`, or over the region the paths visit). Paths come
 * from `step` events that carry `params` (a run with `recordParams`).
 */
@customElement('downhill-trajectory')
export class DownhillTrajectory extends LitElement {
  static override styles = [
    themeStyles,
    css`
      .stage {
        position: relative;
      }
      canvas {
        position: absolute;
        left: 0;
        top: 0;
      }
      h3 {
        font-size: 14px;
        margin: 0 0 4px;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 12px;
        font-size: 12px;
        color: var(--_muted);
      }
      .swatch {
        display: inline-block;
        width: 10px;
        height: 3px;
        vertical-align: middle;
        margin-right: 4px;
      }
    `,
  ];

  @property({ attribute: false }) accessor events: StreamSource<TrainEvent> | undefined;
  @property({ attribute: false }) accessor runIds: readonly string[] | undefined;
  /** The loss as a function of the two parameters (sampled on a grid here). */
  @property({ attribute: false }) accessor loss: ((x: number, y: number) => number) | undefined;
  /** A precomputed loss grid (wins over `loss`). */
  @property({ attribute: false }) accessor grid: LossGrid | undefined;
  /** The region to show; default: the grid's, or the paths' extent with a margin. */
  @property({ attribute: false }) accessor bounds: PlaneBounds | undefined;
  /**
   * For a model with more than 2 parameters: the plane of the slice (`center + x d1 + y d2`, as a
   * landscape slice gives it); each recorded parameter vector is projected onto it.
   */
  @property({ attribute: false }) accessor projection:
    | {
        readonly center: ArrayLike<number>;
        readonly directions: readonly [ArrayLike<number>, ArrayLike<number>];
      }
    | undefined;
  @property({ type: Number }) accessor levels = 24;
  @property({ type: Number }) accessor resolution = 120;
  @property({ type: Number }) accessor height = 360;
  @property() accessor heading = 'Trajectory over the loss surface';

  /**
   * A page's shared store of runs (`RunStoreFeed`): when set, the paths are read from it and
   * `events` is ignored, so the trajectory keeps no copy of runs the charts already hold.
   */
  @property({ attribute: false }) accessor feed: RunStoreFeed | undefined;

  readonly #ownStore = new RunStore();
  #unfeed: (() => void) | undefined;
  #generation = -1;

  /** Every event received so far, per run (the feed's store when there is a feed). */
  get store(): RunStore {
    return this.feed?.store ?? this.#ownStore;
  }

  readonly #stream = new ObservableController<TrainEvent>(this, {
    next: (events) => this.#ownStore.addAll(events),
  });
  #surface: LossGrid | undefined;
  #view: PlaneBounds | undefined;
  #surfaceKey = '';
  #theme: ResolvedTheme | undefined;
  #unwatch: (() => void) | undefined;
  #resize: ResizeObserver | undefined;
  #width = 0;
  readonly #scanned = new Map<string, number>();
  readonly #projected = new Map<string, { x: GrowableArray; y: GrowableArray }>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unwatch = watchColorScheme(() => {
      this.#theme = undefined;
      this.#surfaceKey = '';
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unfeed?.();
    this.#unfeed = undefined;
    this.#unwatch?.();
    this.#resize?.disconnect();
    this.#resize = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new source, a new plane, or the shared store cleared (its runs replaced): paths start over.
    if (
      changed.has('events') ||
      changed.has('feed') ||
      changed.has('projection') ||
      this.store.generation !== this.#generation
    ) {
      this.#generation = this.store.generation;
      this.#projected.clear();
      this.#scanned.clear();
      this.#view = undefined;
    }
    if (changed.has('events') || changed.has('feed')) {
      this.#ownStore.clear();
      this.#stream.source = this.feed ? undefined : this.events;
    }
    if (changed.has('feed') || (this.feed && !this.#unfeed)) {
      this.#unfeed?.();
      this.#unfeed = this.feed?.subscribe(() => this.requestUpdate());
    }
    if (changed.has('grid') || changed.has('loss') || changed.has('bounds') || changed.has('levels'))
      this.#surfaceKey = '';
  }

  protected override render(): TemplateResult {
    const runs = this.store.runs(this.runIds);
    const theme = this.#theme;
    return html`<h3>${this.heading}</h3>
      <div class="toolbar">
        <button type="button" @click=${() => this.exportPng()}>Export PNG</button>
      </div>
      <div class="stage" style="height:${this.height}px" role="img" aria-label=${`${this.heading}: ${runs.length} runs`}>
        <canvas class="surface"></canvas><canvas class="paths"></canvas>
      </div>
      <div class="legend">
        ${runs.map(
          (run, i) =>
            html`<span
              ><span class="swatch" style="background:${theme?.colorAt(i) ?? ''}"></span>${run.summary().name}: (${formatNumber(
                this.path(run).x.last(),
              )}, ${formatNumber(this.path(run).y.last())})</span
            >`,
        )}
      </div>`;
  }

  protected override firstUpdated(): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage')!;
    this.#resize = new ResizeObserver(() => {
      if (stage.clientWidth !== this.#width) {
        this.#surfaceKey = '';
        this.requestUpdate();
      }
    });
    this.#resize.observe(stage);
  }

  protected override updated(): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (!stage) return;
    this.#theme ??= resolveTheme(this);
    this.#width = Math.max(100, stage.clientWidth);
    const view = this.#currentView();
    if (!view) return;
    const key = `${view.x}|${view.y}|${this.#width}|${this.height}`;
    if (key !== this.#surfaceKey) {
      this.#surfaceKey = key;
      this.#drawSurface(view);
    }
    this.#drawPaths(view);
  }

  /** The surface and the paths composed on an opaque background, as PNG. */
  async toPng(): Promise<Blob> {
    const [surface, paths] = this.renderRoot.querySelectorAll('canvas');
    const both = document.createElement('canvas');
    both.width = surface!.width;
    both.height = surface!.height;
    const ctx = both.getContext('2d')!;
    ctx.drawImage(surface!, 0, 0);
    ctx.drawImage(paths!, 0, 0);
    const theme = this.#theme;
    return figurePng({
      canvas: both,
      title: this.heading || 'Trajectory',
      legend: this.store.runs(this.runIds).map((run, i) => ({
        label: run.summary().name,
        color: theme?.colorAt(i) ?? '#1f77b4',
      })),
      background: theme?.bg ?? '#fff',
      foreground: theme?.fg ?? '#000',
    });
  }

  async exportPng(): Promise<void> {
    const names = this.store.runs(this.runIds).map((run) => run.summary().name);
    downloadBlob(figureFileName(this.heading || 'trajectory', names, 'png'), await this.toPng());
  }

  /** The run's path in the plane: its first two parameters, or their projection onto `projection`. */
  path(run: RunSeries): { readonly x: GrowableArray; readonly y: GrowableArray } {
    const projection = this.projection;
    if (!projection) return { x: run.pathX, y: run.pathY };
    let path = this.#projected.get(run.runId);
    if (!path) this.#projected.set(run.runId, (path = { x: new GrowableArray(), y: new GrowableArray() }));
    for (let i = path.x.length; i < run.fullPath.length; i++) {
      const [x, y] = projectOnPlane(run.fullPath[i]!, projection.center, projection.directions);
      path.x.push(x);
      path.y.push(y);
    }
    return path;
  }

  /** Grid bounds, else given bounds, else the paths' extent (grown, never shrunk, as they move). */
  #currentView(): PlaneBounds | undefined {
    if (this.grid) return this.grid;
    if (this.bounds) return this.bounds;
    let view = this.#view;
    for (const run of this.store.runs(this.runIds)) {
      const path = this.path(run);
      for (let i = this.#scanned.get(run.runId) ?? 0; i < path.x.length; i++) {
        const x = path.x.at(i);
        const y = path.y.at(i);
        if (Number.isFinite(x) && Number.isFinite(y)) view = includePoint(view, x, y);
        this.#scanned.set(run.runId, i + 1);
      }
    }
    this.#view = view;
    return view;
  }

  #canvas(selector: string): CanvasRenderingContext2D {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(selector)!;
    const ratio = devicePixelRatio || 1;
    const width = Math.round(this.#width * ratio);
    const height = Math.round(this.height * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      canvas.style.width = `${this.#width}px`;
      canvas.style.height = `${this.height}px`;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.#width, this.height);
    return ctx;
  }

  #drawSurface(view: PlaneBounds): void {
    const ctx = this.#canvas('canvas.surface');
    const theme = this.#theme!;
    const grid =
      this.grid ??
      (this.loss
        ? sampleLossGrid(this.loss, { bounds: view, nx: this.resolution, ny: this.resolution })
        : undefined);
    this.#surface = grid;
    if (grid) {
      const levels = contourLevels(grid.values, this.levels);
      const finite = Array.from(grid.values, (v) => (Number.isFinite(v) ? v : Number.MAX_VALUE));
      const bands = contours().size([grid.nx, grid.ny]).thresholds(levels)(finite);
      // d3-contour puts value i at pixel centre i + 0.5; the grid puts it at x0 + i dx.
      const toX = (g: number) =>
        this.#px(view, grid.x[0] + ((g - 0.5) * (grid.x[1] - grid.x[0])) / (grid.nx - 1), 0);
      const toY = (g: number) =>
        this.#px(view, 0, grid.y[0] + ((g - 0.5) * (grid.y[1] - grid.y[0])) / (grid.ny - 1));
      bands.forEach((band, k) => {
        const path = new Path2D();
        for (const polygon of band.coordinates)
          for (const ring of polygon) {
            ring.forEach(([gx, gy], i) => {
              const px = toX(gx!)[0];
              const py = toY(gy!)[1];
              if (i === 0) path.moveTo(px, py);
              else path.lineTo(px, py);
            });
            path.closePath();
          }
        // d3-contour's bands are nested (each holds everything above its level), so a faint fill
        // per band stacks up: the higher the loss, the darker.
        if (k > 0) {
          ctx.fillStyle = `color-mix(in srgb, ${theme.fg} ${(45 / levels.length).toFixed(2)}%, transparent)`;
          ctx.fill(path);
        }
        ctx.strokeStyle = theme.grid;
        ctx.lineWidth = 1;
        ctx.stroke(path);
      });
    }
    ctx.fillStyle = theme.muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(`x ${formatNumber(view.x[0])} … ${formatNumber(view.x[1])}`, 6, this.height - 6);
    ctx.fillText(`y ${formatNumber(view.y[0])} … ${formatNumber(view.y[1])}`, 6, 14);
  }

  #drawPaths(view: PlaneBounds): void {
    const ctx = this.#canvas('canvas.paths');
    const theme = this.#theme!;
    this.store.runs(this.runIds).forEach((run, k) => {
      const path = this.path(run);
      const n = path.x.length;
      if (n === 0) return;
      const color = theme.colorAt(k);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      // Consecutive points closer than half a pixel add nothing: skip them (per-pixel decimation).
      let lastX = Number.NaN;
      let lastY = Number.NaN;
      for (let i = 0; i < n; i++) {
        const [px, py] = this.#px(view, path.x.at(i), path.y.at(i));
        if (i > 0 && Math.abs(px - lastX) < 0.5 && Math.abs(py - lastY) < 0.5 && i < n - 1) continue;
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
        lastX = px;
        lastY = py;
      }
      ctx.stroke();
      const [sx, sy] = this.#px(view, path.x.at(0), path.y.at(0));
      ctx.beginPath();
      ctx.arc(sx, sy, 3.5, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(lastX, lastY, 4, 0, 2 * Math.PI);
      ctx.fill();
    });
  }

  /** Data coordinates to CSS pixels (y up). */
  #px(view: PlaneBounds, x: number, y: number): [number, number] {
    return [
      ((x - view.x[0]) / (view.x[1] - view.x[0])) * this.#width,
      this.height - ((y - view.y[0]) / (view.y[1] - view.y[0])) * this.height,
    ];
  }

  /** The loss grid drawn last (sampled from `loss`, or `grid` itself). */
  get surface(): LossGrid | undefined {
    return this.#surface;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-trajectory': DownhillTrajectory;
  }
}
