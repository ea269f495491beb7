/** A value a hyperparameter can take. */
export type ParamValue = number | string | boolean;

/** A real number drawn uniformly from [low, high]. */
export interface UniformDomain {
  readonly kind: 'uniform';
  readonly low: number;
  readonly high: number;
}

/** A positive real number whose logarithm is uniform on [log low, log high]. */
export interface LogUniformDomain {
  readonly kind: 'logUniform';
  readonly low: number;
  readonly high: number;
}

/** An integer in [low, high], uniform or (with `log`) log-uniform. */
export interface IntegerDomain {
  readonly kind: 'integer';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
}

/** One of a list of values, each equally likely a priori. */
export interface CategoricalDomain {
  readonly kind: 'categorical';
  readonly choices: readonly ParamValue[];
}

/** A constant: recorded in every trial's config, never searched. */
export interface FixedDomain {
  readonly kind: 'fixed';
  readonly value: ParamValue;
}

/**
 * A parameter that exists only when an earlier categorical (or fixed) parameter takes one of
 * `values`, e.g. `momentum` only when `optimizer` is `sgd`. Absent from the config otherwise.
 */
export interface ConditionalDomain {
  readonly kind: 'conditional';
  readonly parent: string;
  readonly values: readonly ParamValue[];
  readonly domain: Domain;
}

/** What one parameter of a search space may take. Plain data, so a space can come from JSON. */
export type Domain =
  | UniformDomain
  | LogUniformDomain
  | IntegerDomain
  | CategoricalDomain
  | FixedDomain
  | ConditionalDomain;

/** A domain that is not conditional: what a sampler actually draws from. */
export type LeafDomain = Exclude<Domain, ConditionalDomain>;

/** A search space: parameter name -> domain. Conditions refer to parameters declared before them. */
export type SearchSpace = Readonly<Record<string, Domain>>;

/** One trial's hyperparameters. Inactive conditional parameters are absent. */
export type Config = Readonly<Record<string, ParamValue>>;
