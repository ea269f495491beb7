import type { IntegerDomain } from './domain.js';

export interface IntegerOptions {
  readonly low: number;
  readonly high: number;
  /** Search on a log scale (batch sizes, layer widths). Needs low >= 1. Default false. */
  readonly log?: boolean;
}

/** An integer hyperparameter in [low, high]. */
export function integer(options: IntegerOptions): IntegerDomain {
  return { kind: 'integer', low: options.low, high: options.high, log: options.log ?? false };
}
