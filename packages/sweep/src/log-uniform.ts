import type { LogUniformDomain } from './domain.js';
import type { RangeOptions } from './uniform.js';

/** A positive real hyperparameter searched on a log scale (learning rates, weight decay). */
export function logUniform(options: RangeOptions): LogUniformDomain {
  return { kind: 'logUniform', low: options.low, high: options.high };
}
