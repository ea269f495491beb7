import { html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PlotLine, PlotMark } from './decimated-plot.js';
import { type PlotSetup, RunChartElement } from './run-chart-element.js';
import type { ResolvedTheme } from './theme.js';

/**
 * `<downhill-learning-rate-chart>`: the learning rate each step used (left axis) and the other live
 * hyperparameters such as momentum or Adam's beta1 (right axis, dashed), per run, by step, so
 * schedules, warm restarts, plateau cuts and changes made from the dashboard are visible. Every
 * change made through the control path is marked with who made it.
 */
@customElement('downhill-learning-rate-chart')
export class DownhillLearningRateChart extends RunChartElement {
  @property({ attribute: 'y-scale' }) accessor yScale: 'linear' | 'log' = 'linear';
  @property() override accessor heading = 'Learning rate and momentum';
  @property({ type: Number }) override accessor height = 200;

  protected get xAxisName(): string {
    return 'step';
  }

  protected get yAxisName(): string {
    return 'value';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('runIds')) this.invalidate();
  }

  protected plotSetup(): PlotSetup {
    return {
      xLabel: 'step',
      yLabel: this.yScale === 'log' ? 'learning rate (log)' : 'learning rate',
      y2Label: 'momentum / other',
      logY: this.yScale === 'log',
    };
  }

  protected toolbar(): TemplateResult {
    return html`<label
      >y scale
      <select
        aria-label="learning rate scale"
        @change=${(e: Event) => {
          this.yScale = (e.target as HTMLSelectElement).value as 'linear' | 'log';
        }}
      >
        <option value="linear" ?selected=${this.yScale === 'linear'}>linear</option>
        <option value="log" ?selected=${this.yScale === 'log'}>log</option>
      </select></label
    >`;
  }

  protected buildLines(theme: ResolvedTheme): { lines: PlotLine[]; marks: PlotMark[] } {
    const lines: PlotLine[] = [];
    const marks: PlotMark[] = [];
    this.store.runs(this.runIds).forEach((run, i) => {
      const color = theme.colorAt(i);
      this.syncRevision(run);
      const name = run.summary().name;
      const n = run.steps.length;
      lines.push({
        label: `${name} learning rate`,
        color,
        x: run.steps.data,
        y: run.learningRates.data,
        length: n,
        index: this.indexFor(`${run.runId}|learningRate`, run.learningRates.data, n),
        legend: name,
      });
      for (const [hyperparam, column] of run.hyperparams)
        lines.push({
          label: `${name} ${hyperparam}`,
          color,
          x: run.steps.data,
          y: column.data,
          length: n,
          scale: 'y2',
          dash: [3, 3],
          width: 1,
          readout: this.showRaw,
          index: this.indexFor(`${run.runId}|${hyperparam}`, column.data, n),
        });
      for (const mark of run.marks)
        marks.push({ x: mark.step, label: `${mark.name} ${mark.value} (${mark.source})` });
    });
    return { lines, marks };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-learning-rate-chart': DownhillLearningRateChart;
  }
}
