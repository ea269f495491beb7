import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByAdam } from './scale-by-adam.js';
import { checkDecayRate, checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link adam} (and {@link adamw}, {@link amsgrad}). Defaults are PyTorch's. */
export interface AdamOptions {
  /** Learning rate (number or schedule), live-settable. Default 1e-3. */
  readonly learningRate?: ScheduleLike;
  /**
   * First-moment decay in [0, 1), live-settable; a number or a schedule (e.g. the momentum
   * schedule of `oneCycle` or `cyclic` from @downhill/schedules, as PyTorch cycles `betas[0]`).
   * Default 0.9.
   */
  readonly beta1?: ScheduleLike;
  /** Second-moment decay in [0, 1), live-settable. Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** Weight decay, live-settable: coupled L2 for `adam`, decoupled for `adamw`. Default 0 (`adamw`: 0.01). */
  readonly weightDecay?: ScheduleLike;
  /** AMSGrad variant. Default false. */
  readonly amsgrad?: boolean;
  /** Ascend instead of descend. Default false. */
  readonly maximize?: boolean;
}

/**
 * Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization"), as PyTorch's
 * `torch.optim.Adam`, with coupled L2 weight decay:
 *
 *   g_t <- g_t + wd p_{t-1};  m_t = b1 m + (1 - b1) g_t;  v_t = b2 v + (1 - b2) g_t^2;
 *   p_t = p_{t-1} - lr (m_t / (1 - b1^t)) / (sqrt(v_t) / sqrt(1 - b2^t) + eps).
 *
 * Chain: [maximize], addWeightDecay, scaleByAdam with the learning rate fused in. Keras adds eps to the
 * uncorrected sqrt(v_t) ("epsilon hat") and defaults it to 1e-7; TF.js places eps as PyTorch does.
 */
export function adam(options: AdamOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 1e-3;
  const weightDecay = options.weightDecay ?? 0;
  const ascend = options.maximize ?? false;
  checkLearningRate('adam', learningRate);
  checkNonNegative('adam', 'weightDecay', weightDecay);
  checkDecayRate('adam', 'beta1', options.beta1 ?? 0.9);
  checkUnitInterval('adam', 'beta2', options.beta2 ?? 0.999);
  checkNonNegative('adam', 'eps', options.eps ?? 1e-8);
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, amsgrad = false } = options;
  // The learning rate is fused into the moments' pass (same numbers as a separate scaleByLearningRate).
  return named(
    amsgrad ? 'amsgrad' : 'adam',
    { learningRate, beta1, beta2, eps, amsgrad, weightDecay, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      addWeightDecay(weightDecay),
      scaleByAdam({ beta1, beta2, eps, amsgrad, learningRate }),
    ),
  );
}
