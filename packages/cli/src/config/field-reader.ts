import { ConfigError } from './config-error.js';

type Plain = Record<string, unknown>;

export interface NumberRule {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  readonly integer?: boolean;
}

function describeRule(rule: NumberRule): string {
  const parts: string[] = [rule.integer ? 'an integer' : 'a number'];
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(' ');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Joins a parent path and a key: `optimizer` + `name` -> `optimizer.name`, `x` + 1 -> `x[1]`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * Reads the fields of one mapping of a configuration, checking each against its rule and
 * remembering which keys were read, so that `finish()` can reject the ones nobody asked for
 * (a misspelt `learning_rate` must not be silently ignored).
 */
export class FieldReader {
  private readonly seen = new Set<string>();

  constructor(
    private readonly value: Plain,
    /** Dotted path of this mapping ('' at the root). */
    readonly path: string,
  ) {}

  /** Wraps `value`, which must be a mapping. */
  static of(value: unknown, path: string): FieldReader {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError({ field: path, problem: `must be a mapping of fields, got ${typeName(value)}` });
    }
    return new FieldReader(value as Plain, path);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  /** The raw value of `key` (marked as read). */
  raw(key: string): unknown {
    this.seen.add(key);
    return this.value[key];
  }

  field(key: string): string {
    return fieldPath(this.path, key);
  }

  /** Throws a {@link ConfigError} on `key`; `value` is the unknown name written, to suggest the closest allowed one. */
  fail(key: string, problem: string, allowed?: readonly string[], value?: string): never {
    throw new ConfigError({
      field: this.field(key),
      problem,
      ...(allowed ? { allowed } : {}),
      ...(value !== undefined ? { value } : {}),
    });
  }

  number(key: string, rule: NumberRule & { default: number }): number;
  number(key: string, rule?: NumberRule): number | undefined;
  number(key: string, rule: NumberRule & { default?: number } = {}): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return rule.default;
    const ok =
      typeof v === 'number' &&
      Number.isFinite(v) &&
      (!rule.integer || Number.isInteger(v)) &&
      (rule.min === undefined || v >= rule.min) &&
      (rule.above === undefined || v > rule.above) &&
      (rule.max === undefined || v <= rule.max) &&
      (rule.below === undefined || v < rule.below);
    if (!ok) this.fail(key, `must be ${describeRule(rule)}, got ${typeName(v)}`);
    return v as number;
  }

  requiredNumber(key: string, rule: NumberRule = {}): number {
    const v = this.number(key, rule);
    if (v === undefined) this.fail(key, `is required: ${describeRule(rule)}`);
    return v;
  }

  string(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0)
      this.fail(key, `must be a non-empty string, got ${typeName(v)}`);
    return v;
  }

  requiredString(key: string): string {
    const v = this.string(key);
    if (v === undefined) this.fail(key, 'is required');
    return v;
  }

  /** One of `allowed`; an unknown value lists them all. */
  choice<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const v = this.raw(key);
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail(key, 'is required', allowed);
    }
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(
        key,
        `unknown value ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}`,
        allowed,
        typeof v === 'string' ? v : undefined,
      );
    }
    return v as T;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(key, `must be true or false, got ${typeName(v)}`);
    return v;
  }

  /** A nested mapping, or undefined when absent. */
  object(key: string): FieldReader | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    return FieldReader.of(v, this.field(key));
  }

  /** A list of finite numbers. */
  numbers(key: string): number[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(key, `must be a list of numbers, got ${typeName(v)}`);
    return v.map((item, i) => {
      if (typeof item !== 'number' || !Number.isFinite(item)) {
        throw new ConfigError({
          field: fieldPath(this.field(key), i),
          problem: `must be a finite number, got ${typeName(item)}`,
        });
      }
      return item;
    });
  }

  /** Rejects, before anything is read, every key outside `accepted` (a misspelt field is reported as such). */
  only(accepted: readonly string[]): this {
    for (const key of Object.keys(this.value)) {
      if (!accepted.includes(key)) this.fail(key, 'unknown field', accepted, key);
    }
    return this;
  }

  /** Rejects every key that was not read, listing the fields this mapping accepts. */
  finish(accepted?: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!this.seen.has(key)) {
        const allowed = accepted ?? [...this.seen];
        this.fail(key, 'unknown field', allowed, key);
      }
    }
  }
}
