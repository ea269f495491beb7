import type { EndEvent, TrainEvent } from '@downhill/core';
import { lastValueFrom, tap } from 'rxjs';
import { formatNumber } from '../format-progress.js';
import type { ProgressOutput } from '../progress-bar.js';
import { sparkline } from '../sparkline.js';
import { type Experiment, experimentRunEvents } from './experiment.js';

/** What one run of an experiment ended with. */
export interface RunOutcome {
  readonly label: string;
  readonly end: EndEvent;
  /** The loss of every step, in order. */
  readonly losses: number[];
  /** The metrics of the last epoch, when the run reports any. */
  readonly metrics: Readonly<Record<string, number>> | undefined;
}

/** Trains every run of an experiment in this process (synchronously, one after the other). */
export async function runExperiment(experiment: Experiment): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  for (const run of experiment.runs()) {
    const losses: number[] = [];
    let metrics: Readonly<Record<string, number>> | undefined;
    const collect = (event: TrainEvent) => {
      if (event.type === 'step') losses.push(event.loss);
      else if (event.type === 'epoch' && event.metrics) metrics = event.metrics;
    };
    const sync = { ...run, spec: { ...run.spec, mode: 'sync' as const } };
    const end = await lastValueFrom(experimentRunEvents(experiment, sync).pipe(tap(collect)));
    if (end.type !== 'end')
      throw new Error(`${experiment.name}: run ${run.label} completed without an end event`);
    outcomes.push({ label: run.label, end, losses, metrics });
  }
  return outcomes;
}

function formatParams(params: readonly number[]): string {
  return `[${params.map(formatNumber).join(', ')}]`;
}

/**
 * Runs an experiment and prints, per run: how it ended, after how many steps, the final loss and
 * parameters, the last epoch's metrics, and its learning curve as a sparkline.
 */
export async function reportExperiment(
  experiment: Experiment,
  output: ProgressOutput,
): Promise<RunOutcome[]> {
  output.write(
    `\n${experiment.title}\n${'='.repeat(experiment.title.length)}\n${experiment.description}\n\n`,
  );
  const outcomes = await runExperiment(experiment);
  const width = Math.max(...outcomes.map((o) => o.label.length));
  for (const { label, end, losses, metrics } of outcomes) {
    const extra = metrics
      ? ` ${Object.entries(metrics)
          .map(([k, v]) => `${k} ${formatNumber(v)}`)
          .join(' ')}`
      : '';
    output.write(
      `  ${label.padEnd(width)}  ${end.reason.padEnd(9)} ${String(end.step).padStart(5)} steps  ` +
        `loss ${formatNumber(end.loss).padEnd(9)} params ${formatParams(end.params)}${extra}\n`,
    );
    output.write(`  ${''.padEnd(width)}  ${sparkline(losses, 60)}\n`);
  }
  return outcomes;
}
