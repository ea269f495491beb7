import type { Config, Domain, LeafDomain, ParamValue, SearchSpace } from './domain.js';

/** A condition on an earlier parameter: it exists and takes one of `values`. */
export interface Condition {
  readonly parent: string;
  readonly values: readonly ParamValue[];
}

/** One parameter of a checked space: its leaf domain and every condition it needs (nested ones joined). */
export interface SpaceParam {
  readonly name: string;
  readonly domain: LeafDomain;
  readonly conditions: readonly Condition[];
}

function fail(name: string, message: string): never {
  throw new RangeError(`sweep space: parameter "${name}": ${message}`);
}

function isValue(v: unknown): v is ParamValue {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function checkRange(name: string, kind: string, low: unknown, high: unknown): void {
  if (typeof low !== 'number' || !Number.isFinite(low))
    fail(name, `${kind} low must be a finite number, got ${low}`);
  if (typeof high !== 'number' || !Number.isFinite(high))
    fail(name, `${kind} high must be a finite number, got ${high}`);
  if (!(low < high)) fail(name, `${kind} needs low < high, got low ${low}, high ${high}`);
}

function checkLeaf(name: string, domain: LeafDomain): void {
  switch (domain.kind) {
    case 'uniform':
      checkRange(name, 'uniform', domain.low, domain.high);
      return;
    case 'logUniform':
      checkRange(name, 'logUniform', domain.low, domain.high);
      if (!(domain.low > 0)) fail(name, `logUniform low must be > 0, got ${domain.low}`);
      return;
    case 'integer':
      checkRange(name, 'integer', domain.low, domain.high);
      if (!Number.isInteger(domain.low) || !Number.isInteger(domain.high))
        fail(name, `integer bounds must be integers, got low ${domain.low}, high ${domain.high}`);
      if (domain.log && domain.low < 1) fail(name, `integer with log needs low >= 1, got ${domain.low}`);
      return;
    case 'categorical': {
      if (!Array.isArray(domain.choices) || domain.choices.length === 0)
        fail(name, 'categorical needs at least one choice');
      const seen = new Set<ParamValue>();
      for (const c of domain.choices) {
        if (!isValue(c))
          fail(name, `categorical choice ${String(c)} is not a string, boolean or finite number`);
        if (seen.has(c)) fail(name, `categorical choice ${JSON.stringify(c)} appears twice`);
        seen.add(c);
      }
      return;
    }
    case 'fixed':
      if (!isValue(domain.value))
        fail(name, `fixed value ${String(domain.value)} is not a string, boolean or finite number`);
      return;
    default:
      fail(name, `unknown domain kind ${JSON.stringify((domain as { kind?: unknown }).kind)}`);
  }
}

/** The values a checked parameter can take, when it is categorical or fixed. */
function choicesOf(param: SpaceParam): readonly ParamValue[] | undefined {
  if (param.domain.kind === 'categorical') return param.domain.choices;
  if (param.domain.kind === 'fixed') return [param.domain.value];
  return undefined;
}

/**
 * Checks a search space and lists its parameters in declaration order, each with the conditions
 * it needs. Errors name the parameter. A condition's parent must be declared before it (so one
 * pass in order can sample a config) and be categorical or fixed (conditions compare values).
 */
export function checkSpace(space: SearchSpace): readonly SpaceParam[] {
  if (typeof space !== 'object' || space === null) throw new TypeError('sweep space: must be an object');
  const params: SpaceParam[] = [];
  const byName = new Map<string, SpaceParam>();
  for (const [name, top] of Object.entries(space)) {
    const conditions: Condition[] = [];
    let domain: Domain = top;
    while (domain !== undefined && domain !== null && domain.kind === 'conditional') {
      const parent = byName.get(domain.parent);
      if (parent === undefined) {
        fail(
          name,
          domain.parent in space
            ? `its condition's parent "${domain.parent}" must be declared before it`
            : `its condition's parent "${domain.parent}" is not in the space`,
        );
      }
      const choices = choicesOf(parent);
      if (choices === undefined)
        fail(
          name,
          `its condition's parent "${domain.parent}" must be categorical or fixed, got ${parent.domain.kind}`,
        );
      if (!Array.isArray(domain.values) || domain.values.length === 0)
        fail(name, `its condition on "${domain.parent}" needs at least one value`);
      for (const v of domain.values) {
        if (!choices.includes(v))
          fail(
            name,
            `its condition on "${domain.parent}" names ${JSON.stringify(v)}, which "${domain.parent}" cannot take`,
          );
      }
      // The parent's own conditions hold whenever this one can (the child needs the parent present).
      conditions.push(...parent.conditions, { parent: domain.parent, values: domain.values });
      domain = domain.domain;
    }
    if (typeof domain !== 'object' || domain === null) fail(name, 'has no domain');
    checkLeaf(name, domain);
    const param: SpaceParam = { name, domain, conditions };
    params.push(param);
    byName.set(name, param);
  }
  if (params.length === 0) throw new RangeError('sweep space: has no parameters');
  return params;
}

/** Whether a parameter exists given the parameters already chosen. */
export function isActive(param: SpaceParam, config: Config): boolean {
  for (const c of param.conditions) {
    const v = config[c.parent];
    if (v === undefined || !c.values.includes(v)) return false;
  }
  return true;
}
