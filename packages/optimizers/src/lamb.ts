import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addDecayedWeights } from './add-decayed-weights.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import type { LayoutBlock } from './parameter-layout.js';
import { scaleByAdam } from './scale-by-adam.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { scaleByTrustRatio } from './scale-by-trust-ratio.js';
import { checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link lamb}. Defaults are Optax's. */
export interface LambOptions {
  /** Live-settable. Default 1e-3. */
  readonly learningRate?: ScheduleLike;
  /** Live-settable. Default 0.9. */
  readonly beta1?: number;
  /** Live-settable. Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-6. */
  readonly eps?: number;
  /** Decoupled weight decay, inside the trust ratio; live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** The layers the trust ratio is taken over (a model's `layout`). Default: one layer. */
  readonly layout?: readonly LayoutBlock[];
  /** Layers that get the trust ratio. Default: all. */
  readonly trustRatioMask?: (block: LayoutBlock) => boolean;
  readonly maximize?: boolean;
}

/**
 * LAMB (You et al., ICLR 2020, "Large Batch Optimization for Deep Learning", Algorithm 2), as
 * Optax's `lamb`: Adam's direction plus decoupled weight decay, rescaled per layer l to the layer's
 * norm,
 *
 *   r_t = (m_t / (1 - b1^t)) / (sqrt(v_t / (1 - b2^t)) + eps) + wd p,
 *   p_l <- p_l - lr (||p_l|| / ||r_l||) r_l   (ratio 1 when either norm is 0).
 *
 * Chain: [maximize], scaleByAdam, addDecayedWeights, scaleByTrustRatio, scaleByLearningRate.
 */
export function lamb(options: LambOptions = {}): Optimizer<unknown[]> {
  const { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6, weightDecay = 0 } = options;
  const ascend = options.maximize ?? false;
  checkLearningRate('lamb', learningRate);
  checkUnitInterval('lamb', 'beta1', beta1);
  checkUnitInterval('lamb', 'beta2', beta2);
  checkNonNegative('lamb', 'eps', eps);
  checkNonNegative('lamb', 'weightDecay', weightDecay);
  return named(
    'lamb',
    { learningRate, beta1, beta2, eps, weightDecay, layers: options.layout?.length ?? 1, maximize: ascend },
    chain(
      ...ascendIf(ascend),
      scaleByAdam({ beta1, beta2, eps }),
      addDecayedWeights(weightDecay),
      scaleByTrustRatio({
        ...(options.layout ? { layout: options.layout } : {}),
        ...(options.trustRatioMask ? { mask: options.trustRatioMask } : {}),
      }),
      scaleByLearningRate(learningRate),
    ),
  );
}
