import { Observable, type OperatorFunction } from 'rxjs';
import { checkWeight } from '../ema-smooth.js';
import type { StepEvent, TrainEvent } from '../events.js';

export type SmoothedStepEvent = StepEvent & { readonly smoothedLoss: number };

/**
 * Adds `smoothedLoss` to every `step` event: TensorBoard's debiased EMA (see `emaSmooth`) computed
 * as the stream goes. On a stream the future is unknown, so "constant series left alone" applies to
 * the prefix seen so far: while every finite loss equals the first, the loss passes unchanged.
 * The average restarts at each `start` event.
 */
export function smoothLoss(options: {
  readonly weight: number;
}): OperatorFunction<TrainEvent, Exclude<TrainEvent, StepEvent> | SmoothedStepEvent> {
  const { weight } = options;
  checkWeight(weight, 'smoothLoss');
  return (source) =>
    new Observable((subscriber) => {
      let last = 0;
      let count = 0;
      let first = Number.NaN;
      let constant = true;
      return source.subscribe({
        next: (event) => {
          if (event.type === 'start') {
            last = 0;
            count = 0;
            first = Number.NaN;
            constant = true;
          }
          if (event.type !== 'step') {
            subscriber.next(event);
            return;
          }
          const y = event.loss;
          if (!Number.isFinite(y)) {
            subscriber.next({ ...event, smoothedLoss: y });
            return;
          }
          if (count === 0) first = y;
          else if (y !== first) constant = false;
          last = last * weight + (1 - weight) * y;
          count++;
          const debiased = weight === 1 ? last : last / (1 - weight ** count);
          subscriber.next({ ...event, smoothedLoss: constant ? y : debiased });
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
