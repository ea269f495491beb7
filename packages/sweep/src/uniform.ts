import type { UniformDomain } from './domain.js';

export interface RangeOptions {
  readonly low: number;
  readonly high: number;
}

/** A real hyperparameter drawn uniformly from [low, high] (checked by `checkSpace`). */
export function uniform(options: RangeOptions): UniformDomain {
  return { kind: 'uniform', low: options.low, high: options.high };
}
