/**
 * One named, shaped block of the flat parameter vector: the shape of `@downhill/models`'
 * `ParameterBlock` (a model's `layout` can be passed as it is), kept structural so that this
 * package depends on core only. A weight matrix is `rows x cols`, row-major from `offset`.
 */
export interface LayoutBlock {
  readonly name: string;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
  /** `'weight'` or `'bias'` in the shipped models; masks may read it. */
  readonly kind?: string;
}

/** A contiguous range of the parameters, treated as one layer. */
export interface LayoutSegment {
  readonly start: number;
  readonly end: number;
  readonly rows: number;
  readonly cols: number;
  /** The layout block, or undefined for the parameters no block names (one segment per gap). */
  readonly block: LayoutBlock | undefined;
}

/**
 * Splits `length` parameters into segments along `layout` (the whole vector as one 1 x length
 * segment when there is no layout). Coordinates no block covers become segments of their own, so
 * that every parameter is updated. Throws naming the block when blocks overlap, leave the vector,
 * or have a non-integer shape.
 */
export function layoutSegments(
  owner: string,
  layout: readonly LayoutBlock[] | undefined,
  length: number,
): LayoutSegment[] {
  if (layout === undefined || layout.length === 0)
    return [{ start: 0, end: length, rows: 1, cols: length, block: undefined }];
  const blocks = [...layout].sort((a, b) => a.offset - b.offset);
  const segments: LayoutSegment[] = [];
  let at = 0;
  for (const b of blocks) {
    const ok =
      Number.isInteger(b.offset) &&
      Number.isInteger(b.rows) &&
      Number.isInteger(b.cols) &&
      b.rows >= 1 &&
      b.cols >= 1;
    if (!ok) {
      throw new RangeError(
        `${owner}: layout block ${b.name} needs integer offset >= 0 and rows, cols >= 1, got offset ${b.offset}, rows ${b.rows}, cols ${b.cols}`,
      );
    }
    const end = b.offset + b.rows * b.cols;
    if (b.offset < at) {
      throw new RangeError(
        `${owner}: layout block ${b.name} (offset ${b.offset}) overlaps the block before it (ends at ${at})`,
      );
    }
    if (end > length) {
      throw new RangeError(`${owner}: layout block ${b.name} ends at ${end}, past the ${length} parameters`);
    }
    if (b.offset > at)
      segments.push({ start: at, end: b.offset, rows: 1, cols: b.offset - at, block: undefined });
    segments.push({ start: b.offset, end, rows: b.rows, cols: b.cols, block: b });
    at = end;
  }
  if (at < length) segments.push({ start: at, end: length, rows: 1, cols: length - at, block: undefined });
  return segments;
}

/**
 * Segments cached per parameter count: a transform computes them on its first update (and again
 * only if the parameter count changes), so updates allocate nothing and the state stays plain.
 */
export function segmentCache(
  owner: string,
  layout: readonly LayoutBlock[] | undefined,
): (length: number) => LayoutSegment[] {
  let cached: LayoutSegment[] = [];
  let cachedLength = -1;
  return (length) => {
    if (length !== cachedLength) {
      cached = layoutSegments(owner, layout, length);
      cachedLength = length;
    }
    return cached;
  };
}
