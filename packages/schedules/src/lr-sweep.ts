import type { Description, FeedbackController, RunCommand } from '@downhill/core';
import { Observable } from 'rxjs';
import { checkParameter } from './check-parameter.js';

export interface LrSweepOptions {
  /** First rate of the sweep, > 0; default 1e-6. */
  readonly minLr?: number;
  /** Last rate of the sweep, > `minLr`; default 10. */
  readonly maxLr?: number;
  /** Number of steps (rates tried), an integer >= 2; default 100. */
  readonly steps?: number;
  /** Stop when the smoothed loss exceeds this multiple of its best value, > 1; default 4. */
  readonly divergeFactor?: number;
  /** Weight of the debiased exponential moving average of the loss, in [0, 1); default 0.98. */
  readonly smoothing?: number;
  /** Hyperparameter to sweep; default `learningRate`. */
  readonly hyperparameter?: string;
  /** Names the controller in the run's `hyperparam` and `end` events; default `lrRangeTest`. */
  readonly source?: string;
}

export type ResolvedLrSweepOptions = Required<LrSweepOptions>;

/** Validates `options` and fills in the defaults. */
export function resolveLrSweepOptions(owner: string, options: LrSweepOptions): ResolvedLrSweepOptions {
  const minLr = checkParameter(owner, 'minLr', options.minLr ?? 1e-6, { min: 0, minExclusive: true });
  const maxLr = checkParameter(owner, 'maxLr', options.maxLr ?? 10, { min: minLr, minExclusive: true });
  const steps = checkParameter(owner, 'steps', options.steps ?? 100, { integer: true, min: 2 });
  const divergeFactor = checkParameter(owner, 'divergeFactor', options.divergeFactor ?? 4, {
    min: 1,
    minExclusive: true,
  });
  const smoothing = checkParameter(owner, 'smoothing', options.smoothing ?? 0.98, {
    min: 0,
    max: 1,
    maxExclusive: true,
  });
  const hyperparameter = options.hyperparameter ?? 'learningRate';
  const source = options.source ?? 'lrRangeTest';
  return { minLr, maxLr, steps, divergeFactor, smoothing, hyperparameter, source };
}

/** The rate the sweep sets for its `index`-th step: `minLr * (maxLr / minLr) ^ (index / (steps - 1))`. */
export function sweepRate(
  options: Pick<ResolvedLrSweepOptions, 'minLr' | 'maxLr' | 'steps'>,
  index: number,
): number {
  const { minLr, maxLr, steps } = options;
  return minLr * (maxLr / minLr) ** (index / (steps - 1));
}

/**
 * The learning-rate range test's driver (Smith, "Cyclical Learning Rates for Training Neural
 * Networks", 2017, section 3.3; the "LR finder" of fast.ai) as a feedback controller: it sets the
 * rate before every step, rising exponentially from `minLr` to `maxLr` over `steps` steps, and
 * stops the run once the sweep is done or the loss explodes (its debiased moving average exceeds
 * `divergeFactor` times the best so far). Works with any optimizer that lets `learningRate` be set.
 * `lrRangeTest` runs it and reads the curve back; use this directly to sweep a live run.
 */
export function lrSweep(
  options: LrSweepOptions = {},
): FeedbackController & { readonly description: Description } {
  const resolved = resolveLrSweepOptions('lrSweep', options);
  const { steps, divergeFactor, smoothing, hyperparameter, source } = resolved;
  const sweep: FeedbackController = (events) =>
    new Observable<RunCommand>((subscriber) => {
      let index = 0;
      let average = 0;
      let best = Number.POSITIVE_INFINITY;
      const set = (i: number) =>
        subscriber.next({ type: 'set', name: hyperparameter, value: sweepRate(resolved, i), source });
      const stop = () => {
        subscriber.next({ type: 'stop', reason: 'stopped', source });
        subscriber.complete();
      };
      return events.subscribe({
        next: (event) => {
          if (subscriber.closed) return;
          if (event.type === 'start') {
            set(0);
            return;
          }
          if (event.type !== 'step') return;
          index++;
          average = smoothing * average + (1 - smoothing) * event.loss;
          const smoothed = average / (1 - smoothing ** index);
          if (smoothed < best) best = smoothed;
          if (
            !Number.isFinite(smoothed) ||
            (index > 1 && smoothed > divergeFactor * best) ||
            index >= steps
          ) {
            stop();
            return;
          }
          set(index);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
  return Object.assign(sweep, { description: { name: 'lrSweep', ...resolved } });
}
