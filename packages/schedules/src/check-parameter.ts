// Construction-time validation shared by every schedule (internal, not exported).

/** What a parameter must satisfy; the message spells it out as the valid range. */
export interface Range {
  /** Require an integer. */
  readonly integer?: boolean;
  /** Lower bound, inclusive unless `minExclusive`. */
  readonly min?: number;
  readonly minExclusive?: boolean;
  /** Upper bound, inclusive unless `maxExclusive`. */
  readonly max?: number;
  readonly maxExclusive?: boolean;
}

function describeRange(range: Range): string {
  const kind = range.integer ? 'an integer' : 'a finite number';
  const lower = range.min === undefined ? undefined : `${range.minExclusive ? '>' : '>='} ${range.min}`;
  const upper = range.max === undefined ? undefined : `${range.maxExclusive ? '<' : '<='} ${range.max}`;
  if (lower !== undefined && upper !== undefined) {
    const open = range.minExclusive ? '(' : '[';
    const close = range.maxExclusive ? ')' : ']';
    return `${kind} in ${open}${range.min}, ${range.max}${close}`;
  }
  if (lower !== undefined) return `${kind} ${lower}`;
  if (upper !== undefined) return `${kind} ${upper}`;
  return kind;
}

/**
 * Throws a RangeError such as `cosineAnnealing: period must be an integer >= 1, got 0` unless
 * `value` is a number satisfying `range`. Returns the value for use in initialisers.
 */
export function checkParameter(owner: string, name: string, value: unknown, range: Range = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max));
  if (!ok) {
    const got = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new RangeError(`${owner}: ${name} must be ${describeRange(range)}, got ${got}`);
  }
  return value as number;
}

/** Throws unless `value` is one of `choices`, naming them. */
export function checkChoice<T extends string>(
  owner: string,
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    const list = choices.map((c) => `'${c}'`).join(', ');
    throw new RangeError(`${owner}: ${name} must be one of ${list}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** Throws unless `value` is a number or a function (a schedule). */
export function checkScheduleLike(owner: string, name: string, value: unknown): void {
  if (typeof value === 'function') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  throw new RangeError(
    `${owner}: ${name} must be a finite number or a schedule (step -> value), got ${String(value)}`,
  );
}
