import { backward } from '../backward.js';
import { formatShape } from '../shape.js';
import { gradOf, Tensor } from '../tensor.js';

/** Named parameter tensors, the first argument of a function differentiated by {@link valueAndGrad}. */
export type Params = Readonly<Record<string, Tensor>>;

/**
 * JAX's `value_and_grad`: from `f(params, batch) -> scalar tensor`, a function that returns the
 * value and the gradient with respect to every named parameter (same shapes and types). The
 * parameters' storage is read, never written; the batch gets no gradient.
 */
export function valueAndGrad<TBatch>(
  f: (params: Params, batch: TBatch) => Tensor,
): (params: Params, batch: TBatch) => { value: number; grads: Record<string, Tensor> } {
  return (params, batch) => {
    const leaves: Record<string, Tensor> = {};
    for (const [name, p] of Object.entries(params))
      leaves[name] = new Tensor(p.data, p.shape, { requiresGrad: true });
    const out = f(leaves, batch);
    if (!(out instanceof Tensor) || out.size !== 1) {
      throw new RangeError(
        `valueAndGrad: the function must return a one-element tensor, got ${out instanceof Tensor ? `shape ${formatShape(out.shape)}` : typeof out}`,
      );
    }
    backward(out);
    const grads: Record<string, Tensor> = {};
    for (const [name, leaf] of Object.entries(leaves)) grads[name] = new Tensor(gradOf(leaf), leaf.shape);
    return { value: out.data[0]!, grads };
  };
}
