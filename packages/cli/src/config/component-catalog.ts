import { ConfigError } from './config-error.js';
import { FieldReader, fieldPath, type NumberRule } from './field-reader.js';

/** How one option of a component is written in a config. */
export type OptionRule =
  | ({ readonly kind: 'number' } & NumberRule)
  | { readonly kind: 'boolean' }
  | { readonly kind: 'choice'; readonly values: readonly string[] }
  | { readonly kind: 'numbers' }
  | {
      readonly kind: 'component';
      /** A function, so that a catalog may name itself (an optimizer wrapping another one). */
      readonly catalog: () => ComponentCatalog<unknown, never>;
      readonly nameKey: string;
    };

/** A component a config can name (an optimizer, a schedule, a model, a loss) and how it is built. */
export interface ComponentDefinition<TResult, TContext = void> {
  /** One line for `downhill train --help` and error messages. */
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionRule>>;
  /** Options that must be written (the rest have defaults). */
  readonly required?: readonly string[];
  create(options: Readonly<Record<string, unknown>>, context: TContext): TResult;
}

export type ComponentCatalog<TResult, TContext = void> = Readonly<
  Record<string, ComponentDefinition<TResult, TContext>>
>;

/** A component chosen in a config: its name, checked options, and the path it was written at. */
export interface ComponentChoice {
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** Dotted path of the mapping that chose it (`optimizer`, `schedule`). */
  readonly field: string;
}

export const number = (rule: NumberRule = {}): OptionRule => ({ kind: 'number', ...rule });
export const integer = (rule: NumberRule = {}): OptionRule => ({ kind: 'number', integer: true, ...rule });
export const boolean: OptionRule = { kind: 'boolean' };
export const choice = (...values: string[]): OptionRule => ({ kind: 'choice', values });
export const numbers: OptionRule = { kind: 'numbers' };
/** A nested component (`{ name, ...options }` or its name), read as {@link ComponentChoice}. */
export const component = <TResult, TContext>(
  catalog: () => ComponentCatalog<TResult, TContext>,
  nameKey = 'name',
): OptionRule => ({ kind: 'component', catalog: catalog as () => ComponentCatalog<unknown, never>, nameKey });

/**
 * Reads `{ <nameKey>: <component>, ...options }` (or just the component's name as a string) and
 * checks the name against the catalog and every option against the component's rules. An unknown
 * name lists the known ones; an unknown option lists the options of that component.
 */
export function readComponent(
  value: unknown,
  field: string,
  catalog: ComponentCatalog<unknown, never>,
  nameKey: string,
): ComponentChoice {
  const known = Object.keys(catalog);
  const reader =
    typeof value === 'string' ? FieldReader.of({ [nameKey]: value }, field) : FieldReader.of(value, field);
  const name = reader.choice(nameKey, known);
  const definition = catalog[name]!;
  const options: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(definition.options)) {
    if (!reader.has(key)) {
      reader.raw(key);
      continue;
    }
    switch (rule.kind) {
      case 'number':
        options[key] = reader.number(key, rule);
        break;
      case 'boolean':
        options[key] = reader.boolean(key, false);
        break;
      case 'choice':
        options[key] = reader.choice(key, rule.values);
        break;
      case 'numbers':
        options[key] = reader.numbers(key);
        break;
      case 'component':
        options[key] = readComponent(reader.raw(key), reader.field(key), rule.catalog(), rule.nameKey);
        break;
    }
  }
  reader.finish([nameKey, ...Object.keys(definition.options)]);
  // After finish: a misspelt required option is reported as misspelt, not as missing.
  for (const key of definition.required ?? []) {
    if (!reader.has(key)) reader.fail(key, `is required for ${name}`);
  }
  return { name, options, field };
}

/**
 * Builds a chosen component. The libraries check their own arguments too (ranges that depend on
 * each other, such as nesterov needing momentum): their errors come back as config errors naming
 * the component's field.
 */
export function createComponent<TResult, TContext>(
  choice: ComponentChoice,
  catalog: ComponentCatalog<TResult, TContext>,
  context: TContext,
): TResult {
  const definition = catalog[choice.name];
  if (!definition) {
    throw new ConfigError({
      field: fieldPath(choice.field, 'name'),
      problem: `unknown ${choice.name}`,
      allowed: Object.keys(catalog),
      value: choice.name,
    });
  }
  try {
    return definition.create(choice.options, context);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (err instanceof RangeError || err instanceof TypeError) {
      throw new ConfigError({ field: choice.field, problem: err.message });
    }
    throw err;
  }
}
