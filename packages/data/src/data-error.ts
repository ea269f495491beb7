/** Where a problem in the data sits. Line and column are 1-based; `field` names the column when known. */
export interface DataLocation {
  readonly file: string;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  readonly field?: string | undefined;
}

function formatLocation({ file, line, column, field }: DataLocation): string {
  let where = file;
  if (line !== undefined) where += `: line ${line}`;
  if (column !== undefined) where += `, column ${column}`;
  if (field !== undefined) where += ` (${JSON.stringify(field)})`;
  return where;
}

/**
 * Bad input data: a malformed row, a non-numeric or non-finite cell, a missing file. The message
 * reads `file: line L, column C ("name"): problem`, and the same facts are fields for programs.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly field: string | undefined;
  readonly problem: string;

  constructor(problem: string, location: DataLocation, options?: { cause?: unknown }) {
    super(`${formatLocation(location)}: ${problem}`, options);
    this.problem = problem;
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.field = location.field;
  }
}
