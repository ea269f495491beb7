import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { TrainEvent } from '../events.js';

/**
 * Keeps every `every`-th `step` event (steps 0, every, 2 * every ...) and all other events
 * (start, epoch, hyperparameter changes, end), so a long run can be plotted or logged cheaply.
 */
export function sampleSteps(every: number): MonoTypeOperatorFunction<TrainEvent> {
  if (!Number.isInteger(every) || every < 1)
    throw new RangeError(`sampleSteps: every must be a positive integer, got ${every}`);
  return filter((event) => event.type !== 'step' || event.step % every === 0);
}
