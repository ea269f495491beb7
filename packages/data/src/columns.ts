import { DataError } from './data-error.js';

/** A column by name (needs a header) or by 0-based index. */
export type ColumnRef = string | number;

/** Which columns are inputs and which are targets. */
export interface ColumnOptions {
  /** Feature columns, in order (default: every column that is not a target). */
  readonly features?: readonly ColumnRef[];
  /** Target column(s) (default: the last column). An empty list reads features only. */
  readonly targets?: ColumnRef | readonly ColumnRef[];
}

/** Resolved column positions of a source, fixed by its header or first row. */
export interface ColumnLayout {
  /** 0-based positions of the feature columns, then of the target columns. */
  readonly featureIndex: readonly number[];
  readonly targetIndex: readonly number[];
  /** Number of columns every row must have. */
  readonly width: number;
  readonly names: readonly string[] | undefined;
  readonly featureNames: readonly string[] | undefined;
  readonly targetNames: readonly string[] | undefined;
}

function toList(refs: ColumnRef | readonly ColumnRef[]): readonly ColumnRef[] {
  return typeof refs === 'string' || typeof refs === 'number' ? [refs] : refs;
}

/**
 * Turns column names and indices into positions. `names` is the header (undefined without one);
 * `line` is the line the header or first row came from, for error messages.
 */
export function resolveColumns(
  options: ColumnOptions,
  where: { file: string; line: number; names: readonly string[] | undefined; width: number },
): ColumnLayout {
  const { file, line, names, width } = where;
  const position = (ref: ColumnRef): number => {
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= width) {
        throw new DataError(
          `column index ${ref} is out of range: rows have ${width} columns (indices 0 to ${width - 1})`,
          { file, line },
        );
      }
      return ref;
    }
    if (names === undefined) {
      throw new DataError(
        `column ${JSON.stringify(ref)} is named, but the data has no header: use an index`,
        {
          file,
          line,
        },
      );
    }
    const i = names.indexOf(ref);
    if (i < 0) {
      throw new DataError(
        `no column named ${JSON.stringify(ref)}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`,
        { file, line },
      );
    }
    return i;
  };
  if (width === 0) throw new DataError('the first row has no columns', { file, line });
  const targetIndex = toList(options.targets ?? [width - 1]).map(position);
  const featureIndex = options.features
    ? options.features.map(position)
    : Array.from({ length: width }, (_, i) => i).filter((i) => !targetIndex.includes(i));
  if (featureIndex.length === 0) throw new DataError('no feature columns are left', { file, line });
  const nameOf = (i: number): string => names?.[i] ?? `${i}`;
  return {
    featureIndex,
    targetIndex,
    width,
    names,
    featureNames: names ? featureIndex.map(nameOf) : undefined,
    targetNames: names ? targetIndex.map(nameOf) : undefined,
  };
}
