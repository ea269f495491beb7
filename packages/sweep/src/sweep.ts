import type { TrainEvent } from '@downhill/core';
import {
  catchError,
  concat,
  defer,
  EMPTY,
  map,
  mergeMap,
  type Observable,
  of,
  range,
  takeWhile,
  tap,
} from 'rxjs';
import { checkSpace } from './check-space.js';
import type { Config, SearchSpace } from './domain.js';
import type { EarlyTermination } from './early-termination.js';
import { metricOf } from './metric-of.js';
import type { Observation, Sampler } from './sampler.js';
import type { SweepEndReason, SweepEvent, TrialResult } from './sweep-event.js';
import { TRIAL_STREAM, trialSeed } from './trial-seed.js';

/** What a trial's objective gets besides its config. */
export interface TrialControl {
  readonly trialId: string;
  readonly index: number;
  /** A seed of its own for the trial's run (`trialSeed(sweep seed, TRIAL_STREAM, index)`). */
  readonly seed: number;
}

export interface SweepOptions {
  readonly space: SearchSpace;
  readonly sampler: Sampler;
  /** Trials to run (fewer when the sampler runs out). */
  readonly trials: number;
  /** Trials running at once (default 1). */
  readonly concurrency?: number;
  /** One trial: a training run for a config, e.g. `train({...})`. Unsubscribing it must stop it. */
  readonly objective: (config: Config, control: TrialControl) => Observable<TrainEvent>;
  /** Read from each epoch event: `loss`, `validationLoss` or a name in `metrics`. Default `loss`. */
  readonly metric?: string;
  /** Whether lower (`min`, default) or higher (`max`) values of the metric are better. */
  readonly mode?: 'min' | 'max';
  /** Early termination from the trials' epoch results (e.g. `asha`). */
  // biome-ignore lint/suspicious/noExplicitAny: every scheduler state type is accepted here
  readonly scheduler?: EarlyTermination<any>;
  /** Seeds the trials' own seeds (`TrialControl.seed`). Default 0. */
  readonly seed?: number;
  /** Trial ids are `${sweepId}-${index}`. Default `trial`. */
  readonly sweepId?: string;
}

function checkCount(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1))
    throw new RangeError(`sweep: ${name} must be an integer >= 1, got ${value}`);
}

/**
 * A hyperparameter sweep as a cold Observable: each subscription runs the trials (up to
 * `concurrency` at once, in this process), asking the sampler for each trial's config when the
 * trial starts, so model-based samplers see every trial finished by then. Each trial's events
 * are passed on tagged by trial; an early-termination scheduler judges each epoch's metric, and a
 * pruned trial is unsubscribed, which stops its training. Unsubscribing the sweep stops every
 * running trial. A trial that errors or ends without a finite metric is recorded as failed; the
 * sweep goes on.
 */
export function sweep(options: SweepOptions): Observable<SweepEvent> {
  const space = checkSpace(options.space);
  checkCount('trials', options.trials);
  const concurrency = options.concurrency ?? 1;
  checkCount('concurrency', concurrency);
  const metric = options.metric ?? 'loss';
  const sign = (options.mode ?? 'min') === 'min' ? 1 : -1;
  if (options.mode !== undefined && options.mode !== 'min' && options.mode !== 'max')
    throw new RangeError(`sweep: mode must be 'min' or 'max', got ${JSON.stringify(options.mode)}`);
  const { sampler, objective, scheduler } = options;
  const seed = options.seed ?? 0;
  const sweepId = options.sweepId ?? 'trial';

  return defer(() => {
    // Everything a sweep records lives here, made at subscription, so each subscription is an independent sweep.
    const history: Observation[] = [];
    const results: TrialResult[] = [];
    const schedulerState = scheduler?.init();
    let best: TrialResult | undefined;
    let exhausted = false;

    const runTrial = (index: number): Observable<SweepEvent> =>
      defer(() => {
        if (exhausted) return EMPTY;
        const config = sampler.suggest({ space, index, history });
        if (config === undefined) {
          exhausted = true;
          return EMPTY;
        }
        const trialId = `${sweepId}-${index}`;
        let value = Number.NaN;
        let budget = 0;
        let prunedAt: number | undefined;
        let error: string | undefined;

        const observe = (event: TrainEvent): void => {
          if (event.type === 'epoch') {
            budget = event.epoch + 1;
            const v = metricOf(event, metric);
            if (v === undefined) return;
            value = v;
            if (scheduler === undefined) return;
            const decision = scheduler.report(schedulerState, { trialId, budget, score: sign * v });
            if (decision.action === 'prune') prunedAt = decision.rung ?? budget;
          } else if (event.type === 'end') {
            if (budget === 0) budget = event.epoch;
            // A run without epochs (a test function, a step budget) still has its final loss.
            if (metric === 'loss' && Number.isNaN(value)) value = event.loss;
            if (event.reason === 'error') error = event.error ?? 'the run ended with an error';
          }
        };

        const finish = (): SweepEvent[] => {
          if (prunedAt !== undefined) {
            history.push({ index, config, score: sign * value, state: 'pruned', budget });
            results.push({ trialId, index, config, state: 'pruned', value, budget });
            return [{ type: 'trial-pruned', trialId, index, value, budget: prunedAt }];
          }
          if (error === undefined && !Number.isFinite(value))
            error = `the trial ended without a finite "${metric}" (got ${value})`;
          if (error !== undefined) {
            results.push({ trialId, index, config, state: 'failed', value: Number.NaN, budget, error });
            return [{ type: 'trial-failed', trialId, index, error }];
          }
          history.push({ index, config, score: sign * value, state: 'completed', budget });
          const result: TrialResult = { trialId, index, config, state: 'completed', value, budget };
          results.push(result);
          const out: SweepEvent[] = [{ type: 'trial-complete', trialId, index, value, budget }];
          if (best === undefined || sign * value < sign * best.value) {
            best = result;
            out.push({ type: 'best', trialId, index, config, value });
          }
          return out;
        };

        const control: TrialControl = { trialId, index, seed: trialSeed(seed, TRIAL_STREAM, index) };
        return concat(
          of<SweepEvent>({ type: 'trial-start', trialId, index, config }),
          defer(() => objective(config, control)).pipe(
            tap(observe),
            // Inclusive: the epoch event that got the trial pruned is still passed on, then the
            // trial is unsubscribed at once, which stops its training.
            takeWhile(() => prunedAt === undefined, true),
            map((event): SweepEvent => ({ type: 'trial-event', trialId, index, event })),
            catchError((err: unknown) => {
              error = err instanceof Error ? err.message : String(err);
              return EMPTY;
            }),
          ),
          defer(() => finish()),
        );
      });

    const end = (): SweepEvent => {
      const reason: SweepEndReason = exhausted ? 'exhausted' : 'completed';
      return { type: 'end', reason, results: [...results].sort((a, b) => a.index - b.index), best };
    };
    return concat(
      range(0, options.trials).pipe(mergeMap(runTrial, concurrency)),
      defer(() => of(end())),
    );
  });
}
