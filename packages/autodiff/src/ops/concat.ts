import { contiguousStrides, formatShape, normalizeAxes, sizeOf, stridedIndex } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { promote, result } from './result.js';

/** Joins tensors along one axis (default 0); all other extents must agree. Each input gets its slice of the gradient. */
export function concat(xs: readonly Tensor[], options: { axis?: number } = {}): Tensor {
  if (xs.length === 0) throw new RangeError('concat: needs at least one tensor');
  const first = xs[0]!;
  const [axis] = normalizeAxes('concat', first.rank, options.axis ?? 0) as [number];
  xs.forEach((x, k) => {
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
      throw new RangeError(
        `concat: tensor ${k} has shape ${formatShape(x.shape)}, which does not match ${formatShape(first.shape)} outside axis ${axis}`,
      );
    }
  });
  const shape = [...first.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  const strides = contiguousStrides(shape);
  const out = allocate(promote(...xs), sizeOf(shape));
  let at = 0;
  const maps = xs.map((x) => {
    const map = stridedIndex(x.shape, strides, at * strides[axis]!);
    at += x.shape[axis]!;
    return map;
  });
  const forward = (): void => {
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      const map = maps[k]!;
      for (let i = 0; i < x.size; i++) out[map[i]!] = x.data[i]!;
    }
  };
  forward();
  return result(
    out,
    shape,
    xs,
    (g) => {
      for (let k = 0; k < xs.length; k++) {
        const x = xs[k]!;
        if (!x.requiresGrad) continue;
        const gx = gradOf(x);
        const map = maps[k]!;
        for (let i = 0; i < x.size; i++) gx[i]! += g[map[i]!]!;
      }
    },
    forward,
  );
}
