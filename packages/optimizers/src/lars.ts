import type { Optimizer, ScheduleLike } from '@downhill/core';
import { addDecayedWeights } from './add-decayed-weights.js';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import type { LayoutBlock } from './parameter-layout.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { scaleByTrustRatio } from './scale-by-trust-ratio.js';
import { trace } from './trace.js';
import { checkLearningRate, checkNonNegative, checkPositive } from './validate.js';

/** Options of {@link lars}. Defaults are Optax's. */
export interface LarsOptions {
  /**
   * Global learning rate, live-settable. Default 1: the trust coefficient already makes each
   * layer's step about 0.001 of its norm.
   */
  readonly learningRate?: ScheduleLike;
  /** Weight decay added to the gradient before the trust ratio, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Trust coefficient eta. Default 0.001. */
  readonly trustCoefficient?: number;
  /** Added to the update norm. Default 0. */
  readonly eps?: number;
  /** Momentum on the scaled step, live-settable. Default 0.9. */
  readonly momentum?: number;
  /** Default false. */
  readonly nesterov?: boolean;
  /** The layers (a model's `layout`). Default: one layer. */
  readonly layout?: readonly LayoutBlock[];
  /** Layers that get the trust ratio, e.g. `(b) => b.kind !== 'bias'`. Default: all. */
  readonly trustRatioMask?: (block: LayoutBlock) => boolean;
  readonly maximize?: boolean;
}

/**
 * LARS (You, Gitman & Ginsburg, 2017, "Large Batch Training of Convolutional Networks",
 * Algorithm 1), as Optax's `lars`: per layer l,
 *
 *   d_l = g_l + wd p_l,   lambda_l = eta ||p_l|| / (||d_l|| + eps),
 *   b_t = mu b_{t-1} + lr lambda_l d_l  (b_1 = lr lambda_l d_l),   p_t = p_{t-1} - b_t.
 *
 * Chain: [maximize], addDecayedWeights, scaleByTrustRatio, scaleByLearningRate, trace (the
 * learning rate inside the momentum buffer, as the paper and Optax).
 */
export function lars(options: LarsOptions = {}): Optimizer<unknown[]> {
  const { learningRate = 1, weightDecay = 0, trustCoefficient = 0.001, eps = 0, momentum = 0.9 } = options;
  const nesterov = options.nesterov ?? false;
  const ascend = options.maximize ?? false;
  checkLearningRate('lars', learningRate);
  checkNonNegative('lars', 'weightDecay', weightDecay);
  checkPositive('lars', 'trustCoefficient', trustCoefficient);
  checkNonNegative('lars', 'eps', eps);
  checkNonNegative('lars', 'momentum', momentum);
  return named(
    'lars',
    {
      learningRate,
      weightDecay,
      trustCoefficient,
      eps,
      momentum,
      nesterov,
      layers: options.layout?.length ?? 1,
      maximize: ascend,
    },
    chain(
      ...ascendIf(ascend),
      addDecayedWeights(weightDecay),
      scaleByTrustRatio({
        trustCoefficient,
        eps,
        ...(options.layout ? { layout: options.layout } : {}),
        ...(options.trustRatioMask ? { mask: options.trustRatioMask } : {}),
      }),
      scaleByLearningRate(learningRate),
      trace({ momentum, nesterov }),
    ),
  );
}
