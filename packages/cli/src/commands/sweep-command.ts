import { train } from '@downhill/core';
import {
  asha,
  type Config,
  gridSampler,
  pbt,
  randomSampler,
  type Sampler,
  type SweepEvent,
  sweep,
  tpeSampler,
} from '@downhill/sweep';
import { threadSweep } from '@downhill/sweep/node';
import { defer, lastValueFrom, type Observable, switchMap, takeUntil, tap, toArray } from 'rxjs';
import type { SweepConfig } from '../config/sweep-config.js';
import { loadSweepConfig } from '../load-sweep-config.js';
import type { ProgressOutput } from '../progress-bar.js';
import { inlineTrial, prepareTrial, type SweepTrialOptions, withOperators } from './sweep-trial.js';

/** The module a trial worker imports: this folder's sweep-trial, as source (.ts) or built (.js). */
const TRIAL_MODULE = new URL(
  `./sweep-trial.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`,
  import.meta.url,
).href;

export interface SweepCommandOptions {
  readonly configPath: string;
  /** Overrides the config's `executor`. */
  readonly executor?: 'inline' | 'threads';
  /** Overrides the config's `concurrency`. */
  readonly concurrency?: number;
  readonly output: ProgressOutput;
  /** Stops the sweep (its running trials) when it fires; the trials finished so far are printed. */
  readonly interrupt?: Observable<unknown>;
}

/** One row of the trials table. */
export interface SweepRow {
  readonly index: number;
  readonly trialId: string;
  config: Config;
  state: 'running' | 'completed' | 'pruned' | 'failed';
  value: number;
  budget: number | undefined;
  error?: string;
}

export interface SweepOutcome {
  readonly config: SweepConfig;
  readonly rows: readonly SweepRow[];
  readonly best: SweepRow | undefined;
  readonly interrupted: boolean;
}

function samplerOf(config: SweepConfig): Sampler {
  const { algorithm: a, seed } = config;
  if (a.name === 'grid') return gridSampler({ steps: a.steps });
  if (a.name === 'tpe') return tpeSampler({ seed, startupTrials: a.startupTrials });
  return randomSampler({ seed });
}

/** The sweep's events, run by the executor the config (or the command line) chose. */
export function sweepEvents(
  config: SweepConfig,
  overrides: { executor?: 'inline' | 'threads'; concurrency?: number } = {},
): Observable<SweepEvent> {
  const options: SweepTrialOptions = { train: config.train, baseDir: config.trainBaseDir };
  const sweepId = config.name ?? 'trial';
  const common = {
    space: config.space,
    sampler: samplerOf(config),
    metric: config.metric,
    mode: config.mode,
    seed: config.seed,
    sweepId,
  };
  const concurrency = overrides.concurrency ?? config.concurrency;
  const a = config.algorithm;
  if (a.name === 'pbt') {
    return pbt({
      ...common,
      population: a.population,
      perturbationInterval: a.perturbationInterval,
      quantileFraction: a.quantileFraction,
      resampleProbability: a.resampleProbability,
      // parseSweepConfig made sure a pbt sweep's trials have epochs.
      maxBudget: config.epochs!,
      ...(concurrency === undefined ? {} : { concurrency }),
      objective: (trialConfig, control) =>
        defer(() => prepareTrial(trialConfig, options)).pipe(
          switchMap((prepared) => withOperators(prepared, train({ ...prepared.spec, ...control.train }))),
        ),
    });
  }
  const scheduler = config.asha ? { scheduler: asha(config.asha) } : {};
  const executor = overrides.executor ?? config.executor;
  if (executor === 'threads')
    return threadSweep({
      ...common,
      ...scheduler,
      trials: config.trials,
      ...(concurrency === undefined ? {} : { concurrency }),
      trial: { module: TRIAL_MODULE, export: 'sweepTrial', options },
    });
  return sweep({
    ...common,
    ...scheduler,
    trials: config.trials,
    concurrency: concurrency ?? 1,
    objective: (trialConfig, control) => inlineTrial(trialConfig, control, options),
  });
}

function formatValue(v: unknown): string {
  if (typeof v !== 'number') return v === undefined ? '' : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toPrecision(4);
}

/** The trials as a table: number, state, every hyperparameter, the metric, epochs. */
export function formatTrialsTable(
  rows: readonly SweepRow[],
  metric: string,
  params: readonly string[],
): string {
  const header = ['trial', 'state', ...params, metric, 'epochs'];
  const body = rows.map((r) => [
    String(r.index),
    r.state,
    ...params.map((p) => formatValue(r.config[p])),
    r.state === 'failed' || r.state === 'running' ? '' : formatValue(r.value),
    r.budget === undefined ? '' : String(r.budget),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

const describeConfig = (config: Config) =>
  Object.entries(config)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');

/**
 * `downhill sweep config.yaml`: runs the sweep, printing a line as each trial finishes, then the
 * table of trials and the best.
 */
export async function sweepCommand(options: SweepCommandOptions): Promise<SweepOutcome> {
  const config = await loadSweepConfig(options.configPath);
  const out = options.output;
  const rows = new Map<number, SweepRow>();
  let best: SweepRow | undefined;
  let ended = false;
  const params = Object.keys(config.space);
  const executor = config.algorithm.name === 'pbt' ? 'inline' : (options.executor ?? config.executor);
  out.write(
    `sweep ${config.name ?? ''}${config.name ? ': ' : ''}${config.algorithm.name}, ${config.trials} ${config.algorithm.name === 'pbt' ? 'members' : 'trials'}, ${executor}` +
      `${config.asha ? `, ASHA (epochs ${config.asha.minBudget}..${config.asha.maxBudget}, eta ${config.asha.reductionFactor})` : ''}; ` +
      `${config.mode === 'min' ? 'minimising' : 'maximising'} ${config.metric}\n`,
  );
  const events = sweepEvents(config, {
    ...(options.executor ? { executor: options.executor } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  const record = (e: SweepEvent): void => {
    switch (e.type) {
      case 'trial-start':
        rows.set(e.index, {
          index: e.index,
          trialId: e.trialId,
          config: e.config,
          state: 'running',
          value: Number.NaN,
          budget: undefined,
        });
        return;
      case 'trial-exploit': {
        const row = rows.get(e.index)!;
        row.config = e.config;
        out.write(
          `${e.trialId} copies ${e.from} at epoch ${e.budget} (${formatValue(e.value)} vs ${formatValue(e.fromValue)}): ${describeConfig(e.config)}\n`,
        );
        return;
      }
      case 'trial-complete':
      case 'trial-pruned': {
        const row = rows.get(e.index)!;
        row.state = e.type === 'trial-complete' ? 'completed' : 'pruned';
        row.value = e.value;
        row.budget = e.budget;
        out.write(
          `${e.trialId} ${e.type === 'trial-complete' ? `completes ${e.budget} epochs` : `pruned at epoch ${e.budget}`}: ${config.metric} ${formatValue(e.value)}  ${describeConfig(row.config)}\n`,
        );
        return;
      }
      case 'trial-failed': {
        const row = rows.get(e.index)!;
        row.state = 'failed';
        row.error = e.error;
        out.write(`${e.trialId} failed: ${e.error}\n`);
        return;
      }
      case 'best':
        best = rows.get(e.index);
        return;
      case 'end':
        ended = true;
        return;
      case 'trial-event':
        return;
    }
  };
  const source = options.interrupt ? events.pipe(takeUntil(options.interrupt)) : events;
  await lastValueFrom(source.pipe(tap(record), toArray()));
  const all = [...rows.values()].sort((a, b) => a.index - b.index);
  out.write(`\n${formatTrialsTable(all, config.metric, params)}\n\n`);
  const counts = { completed: 0, pruned: 0, failed: 0, running: 0 };
  for (const r of all) counts[r.state]++;
  out.write(
    `${all.length} trials: ${counts.completed} completed, ${counts.pruned} pruned, ${counts.failed} failed` +
      `${ended ? '' : `, ${counts.running} stopped (interrupted)`}\n`,
  );
  if (!ended && best === undefined) {
    // Interrupted before the sweep chose: the best completed trial so far.
    const sign = config.mode === 'min' ? 1 : -1;
    for (const r of all)
      if (r.state === 'completed' && (best === undefined || sign * r.value < sign * best.value)) best = r;
  }
  const chosen = best as SweepRow | undefined;
  if (chosen)
    out.write(
      `best: ${chosen.trialId}, ${config.metric} ${formatValue(chosen.value)}: ${describeConfig(chosen.config)}\n`,
    );
  else out.write('best: none (no trial completed)\n');
  return { config, rows: all, best: chosen, interrupted: !ended };
}
