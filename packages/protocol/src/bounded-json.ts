import { z } from 'zod';

/** Deepest nesting of objects and arrays accepted in user metadata. */
export const MAX_JSON_DEPTH = 16;
/** Largest user metadata accepted, in characters of JSON. */
export const MAX_JSON_CHARS = 16 * 1024;

/**
 * Why a JSON value is too deep or too large, or undefined when it is fine. Iterative, so a value
 * nested 100,000 levels deep is measured without a stack overflow (a recursive walk, or
 * `JSON.stringify` later on, would throw RangeError on it).
 */
export function jsonBoundsProblem(value: unknown, maxDepth: number, maxChars: number): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  let chars = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item === 'string') chars += item.length + 2;
    else if (typeof item === 'object' && item !== null) {
      if (depth >= maxDepth) return `is nested more than ${maxDepth} levels deep`;
      const entries = Array.isArray(item) ? item : Object.entries(item).flat();
      chars += 2 + entries.length;
      for (const child of entries) stack.push([child, depth + 1]);
    } else chars += 8;
    if (chars > maxChars) return `is larger than ${maxChars} characters of JSON`;
  }
  return undefined;
}

/** A JSON object of bounded depth and size (a run's `meta`), validated before anything walks it recursively. */
export function boundedJsonRecord(field: string) {
  return z.record(z.string(), z.unknown()).superRefine((value, context) => {
    const problem = jsonBoundsProblem(value, MAX_JSON_DEPTH, MAX_JSON_CHARS);
    if (problem) context.addIssue({ code: 'custom', message: `${field} ${problem}` });
  });
}
