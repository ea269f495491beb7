import { type Description, type FeedbackController, type RunCommand, runControllerOf } from '@downhill/core';
import { Observable } from 'rxjs';
import { monitoredValue } from './monitored-value.js';
import { PlateauDetector, type PlateauOptions, resolvePlateauOptions } from './plateau-detector.js';

export interface ReduceOnPlateauOptions extends PlateauOptions {
  /** Epoch value to watch: `validationLoss` (default), `loss`, or a metric name. */
  readonly monitor?: string;
  /** Hyperparameter to reduce; default `learningRate`. */
  readonly hyperparameter?: string;
  /** Names the controller in the run's `hyperparam` events; default `reduceOnPlateau`. */
  readonly source?: string;
}

/**
 * Reduce on plateau as a feedback controller: watches the run's `epoch` events and, when the
 * monitored value stops improving, sends `{ type: 'set', name: 'learningRate', value: rate * factor }`.
 * The run applies it from the next step on (the `step` events then report the new rate); the set
 * value replaces the optimizer's own schedule for the rest of the run, as in PyTorch. The rate in
 * use is read from the latest `step` event (`hyperparams[hyperparameter]`, the value actually used).
 *
 * Its counters (best value, bad epochs, cooldown) are part of the run's checkpoints
 * (`spec.checkpoint`), under the key `source`: a run restored from one continues counting.
 *
 * PyTorch semantics (`ReduceLROnPlateau`, the default): every epoch either improves on the best
 * value by more than the threshold (`rel`: `best * (1 -/+ threshold)`, `abs`: `best -/+ threshold`)
 * or counts as bad; bad epochs inside a cooldown are forgotten; when the bad count exceeds
 * `patience` the rate becomes `max(rate * factor, minLr)` (skipped when the change is below `eps`),
 * the cooldown starts and the count resets.
 *
 * Keras semantics (`semantics: 'keras'`, `keras.callbacks.ReduceLROnPlateau`) differ in four ways:
 * the rate drops after `patience` bad epochs rather than `patience + 1`; the threshold defaults to
 * absolute (`min_delta`); a cooldown of `c` epochs counts the epoch that ends it, so only `c - 1`
 * epochs are ignored in full; and the rate is reduced only while it is above `minLr` (no `eps`).
 */
export function reduceOnPlateau(
  options: ReduceOnPlateauOptions = {},
): FeedbackController & { readonly description: Description } {
  const owner = 'reduceOnPlateau';
  const resolved = resolvePlateauOptions(owner, options);
  const { monitor = 'validationLoss', hyperparameter = 'learningRate', source = owner } = options;
  const reduce: FeedbackController = (events) =>
    new Observable<RunCommand>((subscriber) => {
      const detector = new PlateauDetector(resolved);
      let rate: number | undefined;
      return events.subscribe({
        next: (event) => {
          if (event.type === 'start') {
            // The counters and the rate belong to the run's checkpoints (a resumed run goes on counting).
            const saved = runControllerOf(event)?.keepState(source, () => ({
              ...detector.state(),
              ...(rate !== undefined ? { rate } : {}),
            })) as { rate?: unknown } | undefined;
            detector.restore(saved);
            if (typeof saved?.rate === 'number') rate = saved.rate;
            return;
          }
          if (event.type === 'step') {
            rate =
              event.hyperparams[hyperparameter] ??
              (hyperparameter === 'learningRate' ? event.learningRate : undefined);
            return;
          }
          if (event.type === 'hyperparam' && event.name === hyperparameter) {
            rate = event.value;
            return;
          }
          if (event.type !== 'epoch') return;
          let value: number;
          try {
            value = monitoredValue(owner, event, monitor);
          } catch (err) {
            subscriber.error(err);
            return;
          }
          if (rate === undefined || !Number.isFinite(rate)) {
            subscriber.error(
              new RangeError(
                `${owner}: no ${hyperparameter} in the run's step events before epoch ${event.epoch} (does the optimizer have one?)`,
              ),
            );
            return;
          }
          const reduced = detector.observe(value, rate);
          if (reduced !== undefined && !subscriber.closed) {
            rate = reduced;
            subscriber.next({ type: 'set', name: hyperparameter, value: reduced, source });
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
  return Object.assign(reduce, {
    description: { name: owner, monitor, hyperparameter, ...resolved },
  });
}
