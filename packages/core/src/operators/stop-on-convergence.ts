import { type MonoTypeOperatorFunction, Observable } from 'rxjs';
import type { TrainEvent } from '../events.js';
import { RunStopper } from './run-stopper.js';

export interface StopOnConvergenceOptions {
  /** The run has converged when |loss change| < epsilon ... */
  readonly epsilon: number;
  /** ... for this many consecutive steps (or epochs). Default 1. */
  readonly patience?: number;
  /** Watch `step` losses (default) or `epoch` mean losses. */
  readonly on?: 'step' | 'epoch';
}

/**
 * Ends the run with reason `converged` once the loss changes by less than `epsilon` for `patience`
 * consecutive steps (or epochs). The run still emits its `end` event, with the parameters it
 * stopped at; events after the stop decision are passed on until then.
 */
export function stopOnConvergence(options: StopOnConvergenceOptions): MonoTypeOperatorFunction<TrainEvent> {
  const { epsilon, patience = 1, on = 'step' } = options;
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`stopOnConvergence: epsilon must be a finite number >= 0, got ${epsilon}`);
  }
  if (!Number.isInteger(patience) || patience < 1) {
    throw new RangeError(`stopOnConvergence: patience must be a positive integer, got ${patience}`);
  }
  if (on !== 'step' && on !== 'epoch')
    throw new RangeError(`stopOnConvergence: on must be 'step' or 'epoch', got ${on}`);
  return (source) =>
    new Observable<TrainEvent>((subscriber) => {
      const stopper = new RunStopper(subscriber);
      let previous = Number.NaN;
      let calm = 0;
      return source.subscribe({
        next: (event) => {
          stopper.observe(event);
          if (event.type === 'start') {
            previous = Number.NaN;
            calm = 0;
            const saved = stopper.keepState('stopOnConvergence', () => ({ previous, calm })) as
              | { previous?: unknown; calm?: unknown }
              | undefined;
            if (saved && typeof saved.previous === 'number' && typeof saved.calm === 'number') {
              previous = saved.previous;
              calm = saved.calm;
            }
          }
          subscriber.next(event);
          if (event.type !== on) return;
          const loss = (event as { loss: number }).loss;
          calm = Math.abs(loss - previous) < epsilon ? calm + 1 : 0;
          previous = loss;
          if (calm >= patience) stopper.stop('converged', 'stopOnConvergence');
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
