import type { CategoricalDomain, ParamValue } from './domain.js';

/** One of `choices` (strings, numbers or booleans), e.g. `categorical(['sgd', 'adam'])`. */
export function categorical(choices: readonly ParamValue[]): CategoricalDomain {
  return { kind: 'categorical', choices: [...choices] };
}
