import type { Rng } from '@downhill/core';
import { allocate, Tensor } from '../tensor.js';
import { mul } from './binary.js';

/**
 * Inverted dropout (Srivastava et al., 2014; PyTorch's `F.dropout` in training mode): each element
 * is zeroed with probability `rate` and the rest scaled by 1 / (1 - rate), the mask drawn from the
 * given seeded RNG, so a run with the same seed drops the same units. The gradient passes
 * through the same mask.
 */
export function dropout(x: Tensor, options: { rate: number; rng: Rng }): Tensor {
  const { rate, rng } = options;
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const mask = allocate(x.dtype, x.size);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < rate ? 0 : keep;
  return mul(x, new Tensor(mask, x.shape));
}
