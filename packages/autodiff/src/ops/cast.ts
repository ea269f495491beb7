import { allocate, type DType, gradOf, type Tensor } from '../tensor.js';
import { result } from './result.js';

/** The same values in another element type (rounded to float32 when narrowing); the gradient passes through. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = allocate(dtype, x.size);
  const forward = (): void => out.set(x.data);
  forward();
  return result(
    out,
    x.shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < x.size; i++) gx[i]! += g[i]!;
    },
    forward,
  );
}
