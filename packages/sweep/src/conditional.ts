import type { ConditionalDomain, Domain, ParamValue } from './domain.js';

export interface ConditionalOptions {
  /** An earlier categorical or fixed parameter. */
  readonly parent: string;
  /** The parent's values for which this parameter exists. */
  readonly values: readonly ParamValue[];
  readonly domain: Domain;
}

/** A parameter that exists only when `parent` takes one of `values` (`momentum` only for `sgd`). */
export function conditional(options: ConditionalOptions): ConditionalDomain {
  return { kind: 'conditional', parent: options.parent, values: [...options.values], domain: options.domain };
}
