const NON_FINITE = /^\s*[-+]?(nan|inf|infinity)\s*$/i;

/**
 * Reads one CSV cell as a finite number. Returns the number, or a string saying what is wrong with
 * the cell (returning instead of throwing keeps the per-cell path allocation-free).
 */
export function cellValue(text: string): number | string {
  const value = Number(text);
  if (Number.isFinite(value)) {
    // Number('') and Number('  ') are 0: an empty cell is missing data, not a zero.
    if (value === 0 && text.trim() === '') return 'empty cell';
    return value;
  }
  if (Number.isNaN(value) && !NON_FINITE.test(text)) return `non-numeric value ${JSON.stringify(text)}`;
  return `non-finite value ${JSON.stringify(text)}`;
}

/** Same as {@link cellValue} for a value decoded from JSON. */
export function jsonValue(value: unknown): number | string {
  if (typeof value === 'number') return Number.isFinite(value) ? value : `non-finite value ${value}`;
  if (value === null || value === undefined) return 'missing value';
  return `non-numeric value ${JSON.stringify(value)}`;
}
