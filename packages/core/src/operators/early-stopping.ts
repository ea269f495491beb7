import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import type { EpochEvent, TrainEvent } from '../events.js';
import { RunStopper } from './run-stopper.js';

export interface EarlyStoppingOptions {
  /** `validationLoss` (default), `loss`, or the name of a metric in the epoch event's `metrics`. */
  readonly monitor?: string;
  /** `min` (default) for losses, `max` for accuracy-like metrics. */
  readonly mode?: 'min' | 'max';
  /** Smallest change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** Epochs without improvement before stopping. Default 0 (stop at the first epoch that does not improve), as Keras. */
  readonly patience?: number;
  /** End with the parameters of the best epoch instead of the last ones. */
  readonly restoreBest?: boolean;
}

function monitored(event: EpochEvent, monitor: string): number {
  if (monitor === 'validationLoss' || monitor === 'loss') {
    const v = event[monitor];
    if (v === undefined) {
      throw new RangeError(
        `earlyStopping: epoch ${event.epoch} has no ${monitor} (does the run have validation data?)`,
      );
    }
    return v;
  }
  const v = event.metrics?.[monitor];
  if (v === undefined) {
    const known = [
      'loss',
      ...(event.validationLoss !== undefined ? ['validationLoss'] : []),
      ...Object.keys(event.metrics ?? {}),
    ];
    throw new RangeError(
      `earlyStopping: monitor ${JSON.stringify(monitor)} is not in epoch ${event.epoch}; available: ${known.join(', ')}`,
    );
  }
  return v;
}

/**
 * Early stopping on a monitored epoch metric, with Keras semantics: an epoch improves when the
 * value beats the best by more than `minDelta`; after `patience` epochs without improvement the run
 * ends with reason `early-stopped` (and, with `restoreBest`, the best epoch's parameters).
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): MonoTypeOperatorFunction<TrainEvent> {
  const {
    monitor = 'validationLoss',
    mode = 'min',
    minDelta = 0,
    patience = 0,
    restoreBest = false,
  } = options;
  if (mode !== 'min' && mode !== 'max')
    throw new RangeError(`earlyStopping: mode must be 'min' or 'max', got ${mode}`);
  if (!(minDelta >= 0)) throw new RangeError(`earlyStopping: minDelta must be >= 0, got ${minDelta}`);
  if (!Number.isInteger(patience) || patience < 0) {
    throw new RangeError(`earlyStopping: patience must be a non-negative integer, got ${patience}`);
  }
  const sign = mode === 'min' ? 1 : -1;
  return (source) =>
    new Observable<TrainEvent>((subscriber) => {
      const stopper = new RunStopper(subscriber);
      let best = Number.POSITIVE_INFINITY;
      let bestParams: ArrayLike<number> | undefined;
      let wait = 0;
      return source.subscribe({
        next: (event) => {
          stopper.observe(event);
          if (event.type === 'start') {
            best = Number.POSITIVE_INFINITY;
            bestParams = undefined;
            wait = 0;
            const saved = stopper.keepState('earlyStopping', () => ({
              best,
              wait,
              ...(bestParams ? { bestParams: Float64Array.from(bestParams) } : {}),
            })) as { best?: unknown; wait?: unknown; bestParams?: unknown } | undefined;
            if (saved && typeof saved.best === 'number' && typeof saved.wait === 'number') {
              best = saved.best;
              wait = saved.wait;
              if (saved.bestParams instanceof Float64Array) bestParams = saved.bestParams;
            }
          }
          subscriber.next(event);
          if (event.type !== 'epoch') return;
          let value: number;
          try {
            value = sign * monitored(event, monitor);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          if (value < best - minDelta) {
            best = value;
            wait = 0;
            if (restoreBest) bestParams = stopper.snapshot();
            return;
          }
          wait++;
          if (wait >= patience) {
            stopper.stop('early-stopped', 'earlyStopping', {
              bestLoss: sign * best,
              ...(restoreBest && bestParams ? { params: bestParams } : {}),
            });
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
