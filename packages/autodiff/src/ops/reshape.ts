import { checkShape, formatShape, type Shape, sizeOf } from '../shape.js';
import { gradOf, Tensor } from '../tensor.js';

/**
 * The same elements in a new shape (one extent may be -1: inferred). The output shares the
 * input's storage (a view, no copy); its gradient is the incoming gradient as it is.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new RangeError(`reshape: at most one extent may be -1, got ${formatShape(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  const target = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  checkShape('reshape', target);
  if (sizeOf(target) !== x.size) {
    throw new RangeError(
      `reshape: cannot view ${x.size} elements of shape ${formatShape(x.shape)} as ${formatShape(shape)}`,
    );
  }
  if (!x.requiresGrad) return new Tensor(x.data, target);
  return new Tensor(x.data, target, {
    parents: [x],
    backwardFn: (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < x.size; i++) gx[i]! += g[i]!;
    },
  });
}
