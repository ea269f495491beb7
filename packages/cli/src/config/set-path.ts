/**
 * A copy of `config` with `value` at the dotted `path` (`optimizer.learningRate`). Mappings on the
 * way are copied, missing ones made; a component written as its name alone (`optimizer: sgd`)
 * becomes `{ name: sgd }` so that an option can be set beside it.
 */
export function setPath(
  config: Readonly<Record<string, unknown>>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const out: Record<string, unknown> = { ...config };
  if (rest.length === 0) {
    out[head!] = value;
    return out;
  }
  const inner = out[head!];
  const mapping =
    typeof inner === 'string'
      ? { name: inner }
      : inner !== null && typeof inner === 'object' && !Array.isArray(inner)
        ? (inner as Record<string, unknown>)
        : {};
  out[head!] = setPath(mapping, rest.join('.'), value);
  return out;
}
