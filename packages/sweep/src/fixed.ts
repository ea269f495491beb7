import type { FixedDomain, ParamValue } from './domain.js';

/** A constant recorded in every trial's config. */
export function fixed(value: ParamValue): FixedDomain {
  return { kind: 'fixed', value };
}
