import type { EpochEvent } from '@downhill/core';

/**
 * The value `monitor` names in an epoch event: `loss`, `validationLoss`, or a key of `metrics`.
 * Throws a RangeError, prefixed by `owner`, listing what the epoch does carry.
 */
export function monitoredValue(owner: string, event: EpochEvent, monitor: string): number {
  const value =
    monitor === 'loss' || monitor === 'validationLoss' ? event[monitor] : event.metrics?.[monitor];
  if (value !== undefined) return value;
  const available = [
    'loss',
    ...(event.validationLoss !== undefined ? ['validationLoss'] : []),
    ...Object.keys(event.metrics ?? {}),
  ];
  throw new RangeError(
    `${owner}: epoch ${event.epoch} has no ${JSON.stringify(monitor)}` +
      `${monitor === 'validationLoss' ? ' (does the run have validation data?)' : ''}; available: ${available.join(', ')}`,
  );
}
