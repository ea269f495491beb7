/** Default longest record (a CSV record, a JSON Lines line) the file sources accept: 1 MiB of characters. */
export const DEFAULT_MAX_RECORD_SIZE = 1 << 20;

/** Validates a `maxRecordSize` option; returns the limit in characters (`Infinity`: none). */
export function checkMaxRecordSize(owner: string, value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RECORD_SIZE;
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value > 0)) return value;
  throw new RangeError(`${owner}: maxRecordSize must be a positive integer or Infinity, got ${value}`);
}

/** The problem text of a record over the limit. */
export function recordTooLong(limit: number): string {
  return `the record is longer than ${limit} characters (the maxRecordSize limit; raise it to read longer records)`;
}
