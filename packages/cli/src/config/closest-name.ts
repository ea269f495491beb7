/** Lower case without `_`, `-` and spaces: `learning_rate`, `Learning-Rate` and `learningRate` compare equal. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The valid name the user most likely meant by `value`, or `undefined` when none is close: the
 * candidate at the smallest edit distance (ignoring case, `_` and `-`) when that distance is at
 * most a third of the name (2 at least), else the shortest candidate that starts with `value`
 * (`cosine` -> `cosine-decay`).
 */
export function closestName(value: string, candidates: readonly string[]): string | undefined {
  const v = normalize(value);
  if (v.length === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(v, normalize(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(v.length / 3))) return best;
  if (v.length < 3) return undefined;
  const prefixed = candidates.filter((c) => normalize(c).startsWith(v));
  return prefixed.sort((a, b) => a.length - b.length)[0];
}
