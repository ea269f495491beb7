import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { lowerBound } from './decimate-min-max.js';
import type { PlotLine, PlotMark } from './decimated-plot.js';
import { EmaSeries } from './ema-series.js';
import { groupBand } from './group-band.js';
import type { RunGroup } from './group-runs.js';
import { formatNumber, type PlotSetup, RunChartElement } from './run-chart-element.js';
import type { RunSeries } from './run-series.js';
import type { ResolvedTheme } from './theme.js';

/** What the learning curve's x axis counts. */
export type CurveXAxis = 'step' | 'epoch' | 'time';

/**
 * `<downhill-learning-curve>`: training (per step) and validation (per epoch) loss of one or many
 * runs overlaid, by step, epoch or wall time, on a linear or log y axis. Smoothing is TensorBoard's
 * debiased EMA (see `EmaSeries`) with the raw line kept faint beneath. Learning-rate changes made
 * through the control path are marked. Fires `zoom-change` when the user zooms.
 */
@customElement('downhill-learning-curve')
export class DownhillLearningCurve extends RunChartElement {
  @property({ attribute: 'x-axis' }) accessor xAxis: CurveXAxis = 'step';
  @property({ attribute: 'y-scale' }) accessor yScale: 'linear' | 'log' = 'linear';
  /** EMA weight in [0, 1): 0 draws the raw line only. */
  @property({ type: Number }) accessor smoothing = 0.6;
  @property({ type: Boolean, attribute: 'hide-validation' }) accessor hideValidation = false;
  @property() override accessor heading = 'Learning curve';
  /**
   * Draw these groups of runs instead of the runs one by one: each group's mean (of the smoothed
   * losses) with its min-max band (Aim's grouping; e.g. one config over several seeds).
   */
  @property({ attribute: false }) accessor groups: readonly RunGroup[] | undefined;

  readonly #ema = new Map<string, EmaSeries>();

  protected get xAxisName(): string {
    return this.xAxis === 'time' ? 'time (s)' : this.xAxis;
  }

  protected get yAxisName(): string {
    return 'loss';
  }

  protected override get csvXName(): string {
    return this.xAxis === 'time' ? 'time (ms)' : this.xAxis;
  }

  protected override readoutX(x: number): number {
    return this.xAxis === 'time' ? x / 1000 : x;
  }

  protected override storeReset(): void {
    this.#ema.clear();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('events')) this.#ema.clear();
    if (changed.has('smoothing') && !(this.smoothing >= 0 && this.smoothing < 1))
      throw new RangeError(`downhill-learning-curve: smoothing must be in [0, 1), got ${this.smoothing}`);
    if (changed.has('xAxis') && !['step', 'epoch', 'time'].includes(this.xAxis))
      throw new RangeError(`downhill-learning-curve: x-axis must be step, epoch or time, got ${this.xAxis}`);
    if (changed.has('xAxis') && changed.get('xAxis') !== undefined && this.zoomed) this.resetZoom();
    if (
      changed.has('smoothing') ||
      changed.has('xAxis') ||
      changed.has('hideValidation') ||
      changed.has('groups') ||
      changed.has('runIds')
    )
      this.invalidate();
  }

  protected plotSetup(): PlotSetup {
    return {
      xLabel: this.xAxisName,
      yLabel: this.yScale === 'log' ? 'loss (log)' : 'loss',
      logY: this.yScale === 'log',
      // Wall time is stored in ms (as events carry it) and labelled in seconds.
      ...(this.xAxis === 'time' ? { formatX: (ms: number) => formatNumber(ms / 1000) } : {}),
    };
  }

  protected toolbar(): TemplateResult {
    return html`
      <label
        >x axis
        <select
          aria-label="x axis"
          .value=${this.xAxis}
          @change=${(e: Event) => {
            this.xAxis = (e.target as HTMLSelectElement).value as CurveXAxis;
          }}
        >
          <option value="step" ?selected=${this.xAxis === 'step'}>step</option>
          <option value="epoch" ?selected=${this.xAxis === 'epoch'}>epoch</option>
          <option value="time" ?selected=${this.xAxis === 'time'}>wall time</option>
        </select></label
      >
      <label
        >y scale
        <select
          aria-label="y scale"
          .value=${this.yScale}
          @change=${(e: Event) => {
            this.yScale = (e.target as HTMLSelectElement).value as 'linear' | 'log';
          }}
        >
          <option value="linear" ?selected=${this.yScale === 'linear'}>linear</option>
          <option value="log" ?selected=${this.yScale === 'log'}>log</option>
        </select></label
      >
      <label
        >smoothing
        <input
          type="range"
          name="smoothing"
          aria-label="smoothing"
          min="0"
          max="0.99"
          step="0.01"
          .value=${String(this.smoothing)}
          @input=${(e: Event) => {
            this.smoothing = Number((e.target as HTMLInputElement).value);
          }}
        />
        <output>${this.smoothing.toFixed(2)}</output></label
      >
    `;
  }

  protected buildLines(theme: ResolvedTheme): { lines: PlotLine[]; marks: PlotMark[] } {
    if (this.groups) return { lines: this.#groupLines(theme, this.groups), marks: [] };
    const lines: PlotLine[] = [];
    const marks: PlotMark[] = [];
    const runs = this.store.runs(this.runIds);
    runs.forEach((run, i) => {
      const color = theme.colorAt(i);
      // Detail merged inside the run's columns: smoothing and pyramids start over.
      if (this.syncRevision(run)) this.#ema.delete(run.runId);
      const name = run.summary().name;
      const x = this.#stepX(run);
      const n = run.losses.length;
      const smoothing = this.smoothing;
      const diverged = run.status === 'diverged' || (n > 0 && !Number.isFinite(run.losses.last()));
      lines.push({
        label: `${name} train${smoothing > 0 ? ' (raw)' : ''}`,
        color,
        x,
        y: run.losses.data,
        length: n,
        width: 1,
        alpha: smoothing > 0 ? 0.25 : 1,
        index: this.indexFor(`${run.runId}|loss`, run.losses.data, n),
        // One value per run under the pointer: the smoothed one; raw on demand.
        ...(smoothing > 0 ? { readout: this.showRaw } : { legend: name }),
        ...(diverged && smoothing === 0 ? { diverged } : {}),
      });
      if (smoothing > 0) {
        let ema = this.#ema.get(run.runId);
        if (!ema) this.#ema.set(run.runId, (ema = new EmaSeries(smoothing)));
        if (ema.weight !== smoothing) this.dropIndexes(`${run.runId}|ema|`);
        const smoothed = ema.update(run.losses.data, n, smoothing);
        const index = this.indexFor(`${run.runId}|ema|${smoothing}`, smoothed, n);
        lines.push({
          label: `${name} train`,
          color,
          x,
          y: smoothed,
          length: n,
          width: 1.75,
          index,
          legend: name,
          ...(diverged ? { diverged } : {}),
        });
      }
      if (!this.hideValidation && run.hasValidation) {
        const vx =
          this.xAxis === 'step'
            ? run.epochSteps.data
            : this.xAxis === 'time'
              ? run.epochTimes.data
              : endOfEpoch(run.epochs.data, run.epochs.length);
        lines.push({
          label: `${name} validation`,
          color,
          x: vx,
          y: run.validationLosses.data,
          length: run.validationLosses.length,
          width: 1.5,
          dash: [6, 4],
          points: true,
          readout: this.showRaw,
        });
      }
      for (const mark of run.marks) {
        if (mark.name !== 'learningRate') continue;
        const index = Math.min(n - 1, lowerBound(run.steps.data, n, mark.step));
        marks.push({ x: index >= 0 ? x[index]! : 0, label: `lr ${mark.value}` });
      }
    });
    return { lines, marks };
  }

  /** Per group: the mean line (in the legend) and its min and max lines with the band between them. */
  #groupLines(theme: ResolvedTheme, groups: readonly RunGroup[]): PlotLine[] {
    const lines: PlotLine[] = [];
    groups.forEach((group, i) => {
      const series = this.store.runs(group.runIds).map((run) => {
        if (this.syncRevision(run)) this.#ema.delete(run.runId);
        return { x: this.#stepX(run), y: this.#smoothed(run), length: run.losses.length };
      });
      if (series.length === 0) return;
      const band = groupBand(series);
      const color = theme.colorAt(i);
      const label = `${group.label} (${series.length} run${series.length === 1 ? '' : 's'})`;
      lines.push(
        {
          label: `${label} max`,
          color,
          x: band.x,
          y: band.max,
          length: band.length,
          width: 0.5,
          alpha: 0.4,
          readout: this.showRaw,
          fillTo: `${label} min`,
        },
        {
          label: `${label} min`,
          color,
          x: band.x,
          y: band.min,
          length: band.length,
          width: 0.5,
          alpha: 0.4,
          readout: this.showRaw,
        },
        {
          label: `${label} mean`,
          color,
          x: band.x,
          y: band.mean,
          length: band.length,
          width: 1.75,
          legend: label,
        },
      );
    });
    return lines;
  }

  /** The run's losses smoothed with the current weight (the raw column when smoothing is 0). */
  #smoothed(run: RunSeries): ArrayLike<number> {
    const n = run.losses.length;
    if (this.smoothing === 0) return run.losses.data;
    let ema = this.#ema.get(run.runId);
    if (!ema) this.#ema.set(run.runId, (ema = new EmaSeries(this.smoothing)));
    return ema.update(run.losses.data, n, this.smoothing);
  }

  #stepX(run: RunSeries): ArrayLike<number> {
    if (this.xAxis === 'epoch') return run.stepEpochs.data;
    if (this.xAxis === 'time') return run.stepTimes.data;
    return run.steps.data;
  }
}

function endOfEpoch(epochs: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = epochs[i]! + 1;
  return out;
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-learning-curve': DownhillLearningCurve;
  }
}
