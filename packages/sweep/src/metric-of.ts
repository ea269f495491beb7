import type { EpochEvent } from '@downhill/core';

/**
 * A metric read from an epoch event: `loss` (the epoch's mean training loss), `validationLoss`,
 * or a name in `metrics` (accuracy ...). `undefined` when the event does not carry it.
 */
export function metricOf(event: EpochEvent, metric: string): number | undefined {
  if (metric === 'loss') return event.loss;
  if (metric === 'validationLoss') return event.validationLoss;
  return event.metrics?.[metric];
}
