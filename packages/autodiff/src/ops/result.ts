import type { Shape } from '../shape.js';
import { type BackwardFn, type DType, type ForwardFn, Tensor, type TensorData, tensor } from '../tensor.js';

/** A number or a tensor: numbers become constant scalars of the other operand's type. */
export type TensorLike = Tensor | number;

/**
 * The output tensor of an operation; it joins the tape only when an input needs gradients.
 * `forwardFn` recomputes `data` from the inputs' current values (for a replayed step).
 */
export function result(
  data: TensorData,
  shape: Shape,
  parents: readonly Tensor[],
  backwardFn: BackwardFn,
  forwardFn?: ForwardFn,
): Tensor {
  return parents.some((p) => p.requiresGrad)
    ? new Tensor(data, shape, { parents, backwardFn, ...(forwardFn && { forwardFn }) })
    : new Tensor(data, shape, { ...(forwardFn && { forwardFn }) });
}

/** float64 when any operand is float64 (NumPy's promotion for these two types). */
export function promote(...ts: Tensor[]): DType {
  return ts.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
}

export function lift(x: TensorLike, dtype: DType): Tensor {
  return typeof x === 'number' ? tensor(x, { dtype }) : x;
}

export function dtypeOf(...xs: TensorLike[]): DType {
  const ts = xs.filter((x): x is Tensor => typeof x !== 'number');
  return ts.length === 0 ? 'float64' : promote(...ts);
}
