import type { Tensor } from '../tensor.js';
import { add, div, mul, sub } from './binary.js';
import { mean } from './reduce.js';
import { sqrt } from './unary.js';

/** Options of {@link layerNorm}: PyTorch's `F.layer_norm` over the last axis. */
export interface LayerNormOptions {
  /** Scale per feature (shape [features]); default none. */
  readonly weight?: Tensor;
  /** Shift per feature; default none. */
  readonly bias?: Tensor;
  /** Default 1e-5, as PyTorch. */
  readonly eps?: number;
}

/**
 * Layer normalization (Ba et al., 2016) over the last axis: (x - mean) / sqrt(var + eps) with the
 * biased variance, as PyTorch computes it, then weight and bias. Composed of tape operations, so
 * its gradient is theirs.
 */
export function layerNorm(x: Tensor, options: LayerNormOptions = {}): Tensor {
  const eps = options.eps ?? 1e-5;
  const centered = sub(x, mean(x, { axis: -1, keepDims: true }));
  const variance = mean(mul(centered, centered), { axis: -1, keepDims: true });
  let y = div(centered, sqrt(add(variance, eps)));
  if (options.weight !== undefined) y = mul(y, options.weight);
  if (options.bias !== undefined) y = add(y, options.bias);
  return y;
}
