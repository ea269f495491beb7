import type { Optimizer } from '@downhill/core';
import { type AdamOptions, adam } from './adam.js';

/**
 * AMSGrad (Reddi, Kale & Kumar, 2018, "On the Convergence of Adam and Beyond"): {@link adam} with
 * `amsgrad: true`, as PyTorch's `Adam(amsgrad=True)`:
 *
 *   vmax_t = max(vmax_{t-1}, v_t);   p_t = p_{t-1} - lr (m_t / (1 - b1^t)) / (sqrt(vmax_t) / sqrt(1 - b2^t) + eps).
 *
 * The maximum is taken over the raw second moment v_t (PyTorch's implementation), not over the
 * bias-corrected one as the paper's bias-corrected variant would.
 */
export function amsgrad(options: Omit<AdamOptions, 'amsgrad'> = {}): Optimizer<unknown[]> {
  return adam({ ...options, amsgrad: true });
}
