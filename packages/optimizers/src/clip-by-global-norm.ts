import { norm2, type Optimizer } from '@downhill/core';
import { checkNonNegative } from './validate.js';

/**
 * Rescales the whole update when its Euclidean norm exceeds `maxNorm` (Pascanu, Mikolov & Bengio,
 * 2013, "On the difficulty of training recurrent neural networks"):
 * `u <- u * maxNorm / ||u||_2` if `||u||_2 > maxNorm`. As Optax; PyTorch's `clip_grad_norm_`
 * divides by `||u|| + 1e-6` instead. Stateless.
 */
export function clipByGlobalNorm(maxNorm: number): Optimizer<Record<string, never>> {
  checkNonNegative('clipByGlobalNorm', 'maxNorm', maxNorm);
  return {
    name: 'clipByGlobalNorm',
    settable: [],
    init: () => ({}),
    update(updates) {
      const norm = norm2(updates);
      if (!(norm > maxNorm)) return;
      const scale = maxNorm / norm;
      const n = updates.length;
      for (let i = 0; i < n; i++) updates[i]! *= scale;
    },
    describe: () => ({ name: 'clipByGlobalNorm', maxNorm }),
  };
}
