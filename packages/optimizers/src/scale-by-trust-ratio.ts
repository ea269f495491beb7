import type { Optimizer } from '@downhill/core';
import { type LayoutBlock, segmentCache } from './parameter-layout.js';
import { checkNonNegative, checkPositive } from './validate.js';

/** Options of {@link scaleByTrustRatio}. */
export interface TrustRatioOptions {
  /** Named, shaped blocks (a model's `layout`); each is one layer. Default: the whole vector is one layer. */
  readonly layout?: readonly LayoutBlock[];
  /** Trust coefficient eta: LARS' 0.001, LAMB's 1. Default 1. */
  readonly trustCoefficient?: number;
  /** Added to the update norm in the denominator. Default 0. */
  readonly eps?: number;
  /**
   * Which layers get the ratio (the others pass through). Default: all. E.g.
   * `(b) => b.kind !== 'bias'`, as LARS implementations often leave biases out.
   */
  readonly mask?: (block: LayoutBlock) => boolean;
}

/**
 * Layer-wise trust ratio (You, Gitman & Ginsburg, 2017, "Large Batch Training of Convolutional
 * Networks"; You et al., 2020, "Large Batch Optimization for Deep Learning: Training BERT in 76
 * minutes"), as Optax's `scale_by_trust_ratio`: for each layer l,
 *
 *   u_l <- u_l * eta ||p_l|| / (||u_l|| + eps),   or u_l unchanged when ||p_l|| = 0 or ||u_l|| = 0.
 *
 * Parameters that no layout block covers form layers of their own. Stateless.
 */
export function scaleByTrustRatio(options: TrustRatioOptions = {}): Optimizer<Record<string, never>> {
  const trustCoefficient = options.trustCoefficient ?? 1;
  const eps = options.eps ?? 0;
  const mask = options.mask;
  checkPositive('scaleByTrustRatio', 'trustCoefficient', trustCoefficient);
  checkNonNegative('scaleByTrustRatio', 'eps', eps);
  const segments = segmentCache('scaleByTrustRatio', options.layout);
  return {
    name: 'scaleByTrustRatio',
    settable: [],
    init: (params) => {
      segments(params.length);
      return {};
    },
    update(updates, _state, params) {
      for (const s of segments(updates.length)) {
        if (mask && s.block && !mask(s.block)) continue;
        let pp = 0;
        let uu = 0;
        for (let i = s.start; i < s.end; i++) {
          pp += params[i]! * params[i]!;
          uu += updates[i]! * updates[i]!;
        }
        if (pp === 0 || uu === 0) continue;
        const ratio = (trustCoefficient * Math.sqrt(pp)) / (Math.sqrt(uu) + eps);
        for (let i = s.start; i < s.end; i++) updates[i]! *= ratio;
      }
    },
    describe: () => ({
      name: 'scaleByTrustRatio',
      trustCoefficient,
      eps,
      layers: options.layout?.length ?? 1,
      ...(mask ? { mask: 'function' } : {}),
    }),
  };
}
