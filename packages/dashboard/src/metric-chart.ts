import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PlotLine } from './decimated-plot.js';
import { EmaSeries } from './ema-series.js';
import { type PlotSetup, RunChartElement } from './run-chart-element.js';
import type { RunSeries } from './run-series.js';
import type { ResolvedTheme } from './theme.js';

/** `gradNorm` (per step), `validationLoss` or the name of an epoch metric (`accuracy`, `r2` ...). */
export type MetricName = string;

/** The metrics a run records: the gradient norm once it has steps, then its epoch metrics. */
export function recordedMetrics(runs: readonly RunSeries[]): MetricName[] {
  const names: MetricName[] = [];
  if (runs.some((run) => run.gradNorms.length > 0)) names.push('gradNorm');
  for (const run of runs) for (const name of run.metrics.keys()) if (!names.includes(name)) names.push(name);
  return names;
}

const headings: Record<string, string> = {
  gradNorm: 'Gradient norm',
  validationLoss: 'Validation loss',
};

/**
 * `<downhill-metric-chart metric="gradNorm">`: one recorded metric of one or many runs by step,
 * with the learning curve's axes (linear or log, outliers ignored by default), legend, smoothing
 * (the per-step gradient norm) and exports. `metric` is `gradNorm`, `validationLoss` or an epoch
 * metric's name (drawn at the step each epoch ended, as points). `recordedMetrics(runs)` lists
 * what a set of runs has.
 */
@customElement('downhill-metric-chart')
export class DownhillMetricChart extends RunChartElement {
  @property() accessor metric: MetricName = 'gradNorm';
  @property({ attribute: 'y-scale' }) accessor yScale: 'linear' | 'log' = 'linear';
  /** EMA weight in [0, 1) for the per-step gradient norm (epoch metrics are drawn as they are). */
  @property({ type: Number }) accessor smoothing = 0;

  readonly #ema = new Map<string, EmaSeries>();

  protected get xAxisName(): string {
    return 'step';
  }

  protected get yAxisName(): string {
    return this.metric;
  }

  protected override storeReset(): void {
    this.#ema.clear();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('events') || changed.has('metric')) this.#ema.clear();
    if (changed.has('smoothing') && !(this.smoothing >= 0 && this.smoothing < 1))
      throw new RangeError(`downhill-metric-chart: smoothing must be in [0, 1), got ${this.smoothing}`);
    if (changed.has('metric') && !this.heading) this.heading = headings[this.metric] ?? this.metric;
    if (changed.has('metric') || changed.has('smoothing') || changed.has('runIds')) this.invalidate();
  }

  protected plotSetup(): PlotSetup {
    const log = this.yScale === 'log';
    return { xLabel: 'step', yLabel: log ? `${this.metric} (log)` : this.metric, logY: log };
  }

  protected toolbar(): TemplateResult {
    return html`<label
      >y scale
      <select
        aria-label="${this.metric} scale"
        @change=${(e: Event) => {
          this.yScale = (e.target as HTMLSelectElement).value as 'linear' | 'log';
        }}
      >
        <option value="linear" ?selected=${this.yScale === 'linear'}>linear</option>
        <option value="log" ?selected=${this.yScale === 'log'}>log</option>
      </select></label
    >`;
  }

  protected buildLines(theme: ResolvedTheme): { lines: PlotLine[] } {
    const lines: PlotLine[] = [];
    this.store.runs(this.runIds).forEach((run, i) => {
      const color = theme.colorAt(i);
      if (this.syncRevision(run)) this.#ema.delete(run.runId);
      const name = run.summary().name;
      if (this.metric === 'gradNorm') {
        const n = run.gradNorms.length;
        let y: ArrayLike<number> = run.gradNorms.data;
        if (this.smoothing > 0) {
          let ema = this.#ema.get(run.runId);
          if (!ema) this.#ema.set(run.runId, (ema = new EmaSeries(this.smoothing)));
          y = ema.update(run.gradNorms.data, n, this.smoothing);
        }
        lines.push({
          label: `${name} gradNorm`,
          color,
          x: run.steps.data,
          y,
          length: n,
          legend: name,
          index: this.indexFor(`${run.runId}|gradNorm|${this.smoothing}`, y, n),
        });
        return;
      }
      const column = this.metric === 'validationLoss' ? run.validationLosses : run.metrics.get(this.metric);
      if (!column) return;
      lines.push({
        label: `${name} ${this.metric}`,
        color,
        x: run.epochSteps.data,
        y: column.data,
        length: column.length,
        points: true,
        legend: name,
      });
    });
    return { lines };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-metric-chart': DownhillMetricChart;
  }
}
