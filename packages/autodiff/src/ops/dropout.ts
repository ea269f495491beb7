import type { Rng } from '@downhill/core';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { result } from './result.js';

/**
 * Inverted dropout (Srivastava et al., 2014; PyTorch's `F.dropout` in training mode): each element
 * is zeroed with probability `rate` and the rest scaled by 1 / (1 - rate), the mask drawn from the
 * given seeded RNG (one `next()` per element, in order), so a run with the same RNG state drops the
 * same units. The gradient passes through the same mask. A replayed step draws a new mask.
 */
export function dropout(x: Tensor, options: { rate: number; rng: Rng }): Tensor {
  const { rate, rng } = options;
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1), got ${rate}`);
  if (rate === 0) return x;
  const n = x.size;
  const mask = allocate(x.dtype, n);
  const out = allocate(x.dtype, n);
  const keep = 1 / (1 - rate);
  const xd = x.data;
  const forward = (): void => {
    for (let i = 0; i < n; i++) {
      const k = rng.next() < rate ? 0 : keep;
      mask[i] = k;
      out[i] = xd[i]! * k;
    }
  };
  forward();
  return result(
    out,
    x.shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * mask[i]!;
    },
    forward,
  );
}
