import { checkShape, formatShape, type Shape, sizeOf } from '../shape.js';

/** What a parameter is for: optimizers' groups and penalties select by it (no decay on biases ...). */
export type ParameterKind = 'weight' | 'bias';

/**
 * Where one named, shaped parameter sits in the flat parameter vector. `rows` and `cols` give the
 * same block as the `ParameterBlock` of @downhill/models (weights: rows = shape[0], cols = the
 * rest; biases: one row), so code written for those layouts reads these too.
 */
export interface TensorBlock {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly offset: number;
  readonly shape: Shape;
  readonly size: number;
  readonly rows: number;
  readonly cols: number;
}

/** A parameter's shape, and optionally its kind (default: 'bias' for one axis, else 'weight'). */
export interface ParameterSpec {
  readonly shape: Shape;
  readonly kind?: ParameterKind;
}

/**
 * Lays named parameters out one after another in the order given (object key order), as
 * contiguous row-major blocks of one flat vector.
 */
export function parameterLayout(specs: Readonly<Record<string, ParameterSpec | Shape>>): {
  layout: TensorBlock[];
  dimension: number;
} {
  const layout: TensorBlock[] = [];
  let offset = 0;
  for (const [name, spec] of Object.entries(specs)) {
    const shape = Array.isArray(spec) ? (spec as Shape) : (spec as ParameterSpec).shape;
    if (!Array.isArray(shape)) throw new TypeError(`parameters.${name}: shape must be an array of extents`);
    checkShape(`parameters.${name}`, shape);
    const kind = (spec as ParameterSpec).kind ?? (shape.length <= 1 ? 'bias' : 'weight');
    if (kind !== 'weight' && kind !== 'bias')
      throw new RangeError(`parameters.${name}: kind must be 'weight' or 'bias', got ${String(kind)}`);
    const size = sizeOf(shape);
    const rows = kind === 'bias' || shape.length === 0 ? 1 : shape[0]!;
    layout.push({ name, kind, offset, shape: [...shape], size, rows, cols: rows === 0 ? 0 : size / rows });
    offset += size;
  }
  return { layout, dimension: offset };
}

export function describeLayout(layout: readonly TensorBlock[]): Record<string, string> {
  return Object.fromEntries(layout.map((b) => [b.name, formatShape(b.shape)]));
}
