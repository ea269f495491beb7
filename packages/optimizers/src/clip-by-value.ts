import type { Optimizer } from '@downhill/core';
import { checkNonNegative } from './validate.js';

/**
 * Clips every coordinate into [-maxAbs, maxAbs]: `u_i <- min(max(u_i, -c), c)`, as PyTorch's
 * `clip_grad_value_`. Stateless.
 */
export function clipByValue(maxAbs: number): Optimizer<Record<string, never>> {
  checkNonNegative('clipByValue', 'maxAbs', maxAbs);
  const low = -maxAbs;
  return {
    name: 'clipByValue',
    settable: [],
    init: () => ({}),
    update(updates) {
      const n = updates.length;
      for (let i = 0; i < n; i++) {
        const u = updates[i]!;
        updates[i] = u > maxAbs ? maxAbs : Math.max(u, low);
      }
    },
    describe: () => ({ name: 'clipByValue', maxAbs }),
  };
}
