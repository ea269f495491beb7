/**
 * Optimizer state and checkpoints are plain objects holding numbers and typed arrays. These two
 * functions turn them into JSON-safe data and back, exactly: a double printed by JSON.stringify
 * parses back to the same bits (shortest round-trip formatting), so a resumed run is bit-identical.
 */

/** JSON-safe data, as `serializeState` returns it. */
export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

// JSON has no NaN, infinities or negative zero (JSON.stringify(-0) is "0"): they are tagged.
const SPECIAL: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-0': -0,
};

function encodeNumber(v: number): number | { $num: string } {
  if (Object.is(v, -0)) return { $num: '-0' };
  return Number.isFinite(v) ? v : { $num: String(v) };
}

/** Converts typed arrays to `{ $f64: [...] }` / `{ $f32: [...] }` and NaN, infinities and -0 to `{ $num: 'NaN' }` etc. */
export function serializeState(value: unknown, path = 'state'): Plain {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return encodeNumber(value) as Plain;
  if (value instanceof Float64Array) return { $f64: Array.from(value, encodeNumber) as Plain[] };
  if (value instanceof Float32Array) return { $f32: Array.from(value, encodeNumber) as Plain[] };
  if (Array.isArray(value)) return value.map((v, i) => serializeState(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const out: { [key: string]: Plain } = {};
    for (const [k, v] of Object.entries(value))
      if (v !== undefined) out[k] = serializeState(v, `${path}.${k}`);
    return out;
  }
  throw new TypeError(`serializeState: ${path} is a ${typeof value}, which cannot be serialized`);
}

function decodeNumber(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && '$num' in v) {
    const n = SPECIAL[String((v as { $num: unknown }).$num)];
    if (n !== undefined) return n;
  }
  throw new TypeError(`deserializeState: ${path} should be a number, got ${JSON.stringify(v)}`);
}

/** Inverse of {@link serializeState}. */
export function deserializeState<T = unknown>(value: unknown, path = 'state'): T {
  return decode(value, path) as T;
}

function decode(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => decode(v, `${path}[${i}]`));
  const o = value as Record<string, unknown>;
  if ('$num' in o) return decodeNumber(o, path);
  for (const tag of ['$f64', '$f32'] as const) {
    if (tag in o) {
      const items = o[tag];
      if (!Array.isArray(items)) throw new TypeError(`deserializeState: ${path}.${tag} should be an array`);
      const values = items.map((v: unknown, i: number) => decodeNumber(v, `${path}.${tag}[${i}]`));
      return tag === '$f64' ? Float64Array.from(values) : Float32Array.from(values);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decode(v, `${path}.${k}`);
  return out;
}
