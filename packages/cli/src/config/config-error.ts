import { closestName } from './closest-name.js';

/** Where a value sits in a configuration file (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A configuration that cannot be run. `field` is the dotted path of the offending value
 * (`optimizer.name`, `data.columns.x[1]`), `allowed` lists the accepted values when there is a
 * fixed set, and `location` points into the file when the config came from one.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly field: string;
  readonly problem: string;
  readonly allowed: readonly string[] | undefined;
  readonly location: SourceLocation | undefined;
  /** The allowed value closest to what was written (`learning_rate` -> `learningRate`), when one is close. */
  readonly suggestion: string | undefined;

  constructor(options: {
    field: string;
    problem: string;
    allowed?: readonly string[];
    location?: SourceLocation;
    /** The unknown name or value that was written, to suggest the closest allowed one. */
    value?: string;
    suggestion?: string;
  }) {
    const { field, problem, allowed, location, value } = options;
    const suggestion =
      options.suggestion ?? (value !== undefined && allowed ? closestName(value, allowed) : undefined);
    const where = location ? `${location.file}:${location.line}:${location.column}: ` : '';
    const hint = suggestion !== undefined ? `; did you mean ${JSON.stringify(suggestion)}?` : '';
    const choices = allowed && allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '';
    super(`${where}${field || 'config'}: ${problem}${hint}${choices}`);
    this.field = field;
    this.problem = problem;
    this.allowed = allowed;
    this.location = location;
    this.suggestion = suggestion;
  }

  /** The same error, pointing at `location`. */
  at(location: SourceLocation | undefined): ConfigError {
    if (!location) return this;
    return new ConfigError({
      field: this.field,
      problem: this.problem,
      location,
      ...(this.allowed ? { allowed: this.allowed } : {}),
      ...(this.suggestion !== undefined ? { suggestion: this.suggestion } : {}),
    });
  }
}
