import { type Batch, type EndEvent, emaSmooth, type TrainSpec, train } from '@downhill/core';
import { Observable } from 'rxjs';
import { type LrSweepOptions, lrSweep, resolveLrSweepOptions } from './lr-sweep.js';
import { type LrCurve, type SuggestOptions, suggestLearningRate } from './suggest-learning-rate.js';

export interface LrRangeTestOptions extends LrSweepOptions, SuggestOptions {}

/** Why the sweep ended: it reached `maxLr`, the smoothed loss exploded, or the run hit a non-finite loss. */
export type LrRangeStopReason = 'completed' | 'exploded' | 'diverged';

/** The loss-vs-learning-rate curve of a range test and the rate it suggests. */
export interface LrRangeResult extends LrCurve {
  /** The raw batch loss of each step, at the parameters before that step's update. */
  readonly losses: readonly number[];
  /** The suggested learning rate (see `suggestLearningRate`). */
  readonly suggested: number;
  /** The rate at the lowest smoothed loss. */
  readonly minimumLossRate: number;
  readonly stopReason: LrRangeStopReason;
}

/**
 * The learning-rate range test (Smith 2017, section 3.3; fast.ai's `lr_find`): one short run of
 * `spec` whose rate rises exponentially from `minLr` to `maxLr`, one rate per step, until the loss
 * explodes. Emits the loss-vs-rate curve and a suggested rate once, then completes; unsubscribing
 * stops the run.
 *
 * The rate is driven through the run's control path (`set` commands from `lrSweep`, which the run
 * applies before each step), so any optimizer whose `settable` includes `learningRate` works as it
 * is, without a factory, and the curve records the rate each `step` event reports as used. The
 * run replaces `spec.epochs`/`spec.steps` by the sweep's `steps`; `spec.params` is not modified (a
 * run copies it), so train afterwards from the same starting point with the suggested rate.
 */
export function lrRangeTest<TBatch = Batch>(
  spec: TrainSpec<TBatch>,
  options: LrRangeTestOptions = {},
): Observable<LrRangeResult> {
  const resolved = resolveLrSweepOptions('lrRangeTest', options);
  const { hyperparameter, steps, smoothing } = resolved;
  const settable = spec.optimizer?.settable ?? [];
  if (!settable.includes(hyperparameter)) {
    throw new RangeError(
      `lrRangeTest: spec.optimizer must accept ${JSON.stringify(hyperparameter)} through the control path; its settable list is [${settable.join(', ')}]`,
    );
  }
  const run = train<TBatch>({
    ...spec,
    epochs: undefined,
    steps,
    controllers: [...(spec.controllers ?? []), lrSweep(resolved)],
  });
  return new Observable<LrRangeResult>((subscriber) => {
    const learningRates: number[] = [];
    const losses: number[] = [];
    let end: EndEvent | undefined;
    return run.subscribe({
      next: (event) => {
        if (event.type === 'step') {
          learningRates.push(event.hyperparams[hyperparameter] ?? event.learningRate);
          losses.push(event.loss);
        } else if (event.type === 'end') {
          end = event;
        }
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => {
        try {
          const smoothedLosses = emaSmooth(losses, smoothing);
          const curve = { learningRates, smoothedLosses };
          const suggested = suggestLearningRate(curve, options);
          let lowest = 0;
          for (let i = 1; i < smoothedLosses.length; i++)
            if (smoothedLosses[i]! < smoothedLosses[lowest]!) lowest = i;
          const stopReason: LrRangeStopReason =
            end?.reason === 'diverged' ? 'diverged' : losses.length >= steps ? 'completed' : 'exploded';
          subscriber.next({
            learningRates,
            losses,
            smoothedLosses,
            suggested,
            minimumLossRate: learningRates[lowest]!,
            stopReason,
          });
          subscriber.complete();
        } catch (err) {
          subscriber.error(err);
        }
      },
    });
  });
}
