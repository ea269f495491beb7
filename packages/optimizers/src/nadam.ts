import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addDecayedWeights } from './add-decayed-weights.js';
import { addWeightDecay } from './add-weight-decay.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { scaleByNadam } from './scale-by-nadam.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link nadam}. Defaults are PyTorch's. */
export interface NadamOptimizerOptions {
  /** Default 2e-3; live-settable. */
  readonly learningRate?: ScheduleLike;
  readonly beta1?: number;
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** Weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Default 0.004. */
  readonly momentumDecay?: number;
  /** Decoupled (AdamW-style) weight decay instead of L2. Default false. */
  readonly decoupledWeightDecay?: boolean;
  readonly maximize?: boolean;
}

/**
 * NAdam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"), as PyTorch's
 * `torch.optim.NAdam`:
 *
 *   mu_t = b1 (1 - 0.5 * 0.96^(t psi)),  P_t = prod mu_i,  r_t = sqrt(v_t / (1 - b2^t)) + eps,
 *   p_t = p_{t-1} - lr ((1 - mu_t) / (1 - P_t) g_t + mu_{t+1} / (1 - P_t mu_{t+1}) m_t) / r_t.
 *
 * Chain: [maximize], addWeightDecay, scaleByNadam, scaleByLearningRate (or addDecayedWeights
 * after scaleByNadam with `decoupledWeightDecay`).
 */
export function nadam(options: NadamOptimizerOptions = {}): Optimizer<unknown[]> {
  const learningRate = options.learningRate ?? 2e-3;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  const momentumDecay = options.momentumDecay ?? 0.004;
  const decoupled = options.decoupledWeightDecay ?? false;
  const ascend = options.maximize ?? false;
  checkLearningRate('nadam', learningRate);
  checkUnitInterval('nadam', 'beta1', beta1);
  checkUnitInterval('nadam', 'beta2', beta2);
  checkNonNegative('nadam', 'eps', eps);
  checkNonNegative('nadam', 'weightDecay', weightDecay);
  checkNonNegative('nadam', 'momentumDecay', momentumDecay);
  const moments = scaleByNadam({ beta1, beta2, eps, momentumDecay });
  return named(
    'nadam',
    {
      learningRate,
      beta1,
      beta2,
      eps,
      weightDecay,
      momentumDecay,
      decoupledWeightDecay: decoupled,
      maximize: ascend,
    },
    decoupled
      ? chain(...ascendIf(ascend), moments, addDecayedWeights(weightDecay), scaleByLearningRate(learningRate))
      : chain(...ascendIf(ascend), addWeightDecay(weightDecay), moments, scaleByLearningRate(learningRate)),
  );
}
