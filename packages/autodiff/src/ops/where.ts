import { broadcastIndex, broadcastShapes, sizeOf } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { dtypeOf, lift, result, type TensorLike } from './result.js';

/**
 * Element-wise choice: `a` where `condition` is non-zero, else `b`, all three broadcast together.
 * The gradient goes to the chosen input (none to the condition).
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const dtype = dtypeOf(a, b);
  const x = lift(a, dtype);
  const y = lift(b, dtype);
  const shape = broadcastShapes('where', condition.shape, x.shape, y.shape);
  const n = sizeOf(shape);
  const ic = broadcastIndex(condition.shape, shape);
  const ix = broadcastIndex(x.shape, shape);
  const iy = broadcastIndex(y.shape, shape);
  const cd = condition.data;
  const out = allocate(dtype, n);
  const pick = new Uint8Array(n);
  const forward = (): void => {
    for (let i = 0; i < n; i++) {
      pick[i] = cd[ic === undefined ? i : ic[i]!] !== 0 ? 1 : 0;
      out[i] = pick[i] ? x.data[ix === undefined ? i : ix[i]!]! : y.data[iy === undefined ? i : iy[i]!]!;
    }
  };
  forward();
  return result(
    out,
    shape,
    [x, y],
    (g) => {
      const gx = x.requiresGrad ? gradOf(x) : undefined;
      const gy = y.requiresGrad ? gradOf(y) : undefined;
      for (let i = 0; i < n; i++) {
        if (pick[i]) {
          if (gx !== undefined) gx[ix === undefined ? i : ix[i]!]! += g[i]!;
        } else if (gy !== undefined) gy[iy === undefined ? i : iy[i]!]! += g[i]!;
      }
    },
    forward,
  );
}
