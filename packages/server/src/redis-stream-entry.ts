/** A stream entry as ioredis returns it: its ID and its fields as name, value, name, value ... */
export type StreamEntry = [id: string, fields: string[] | null];

/** The value of field `name` of an entry. */
export function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The `seq` of an entry ID `1-<seq>`. */
export function seqOf(id: string): number {
  return Number(id.slice(id.indexOf('-') + 1));
}
