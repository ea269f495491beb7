import type { Optimizer, ScheduleLike } from '@downhill/core';
import { resolveHyperparameter } from './hyperparameter.js';
import { type LayoutBlock, segmentCache } from './parameter-layout.js';
import { checkLearningRate, checkNonNegative } from './validate.js';

/** Options of {@link scaleByRelativeStepSize}. Defaults are PyTorch's Adafactor (2.5). */
export interface RelativeStepSizeOptions {
  /** Named, shaped blocks: RMS(p) is taken per block. Default: the whole vector. */
  readonly layout?: readonly LayoutBlock[];
  /** gamma: cap of the relative step rho_t and the weight-decay rate; live-settable. Default 0.01. */
  readonly learningRate?: ScheduleLike;
  /** eps2: floor of RMS(p), so that parameters starting at zero move. Default 1e-3. */
  readonly eps?: number;
  /** lambda: decoupled weight decay p <- p - gamma lambda p; live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
}

/** State: the step count. */
export interface RelativeStepSizeState {
  count: number;
}

/**
 * Adafactor's relative step size (Shazeer & Stern, 2018, section 8), as PyTorch 2.5: per block,
 *
 *   rho_t = min(gamma, 1 / sqrt(t)),   alpha_t = max(eps2, RMS(p_{t-1})) rho_t,
 *   u <- -alpha_t u - gamma lambda p_{t-1},
 *
 * so a step is a fraction of the block's own scale. The paper caps rho_t at 0.01; PyTorch uses
 * the learning rate for that cap and as the weight-decay coefficient.
 */
export function scaleByRelativeStepSize(
  options: RelativeStepSizeOptions = {},
): Optimizer<RelativeStepSizeState> {
  const learningRate = options.learningRate ?? 0.01;
  const eps = options.eps ?? 1e-3;
  const weightDecay = options.weightDecay ?? 0;
  checkLearningRate('adafactor', learningRate);
  checkNonNegative('adafactor', 'eps2', eps);
  checkNonNegative('adafactor', 'weightDecay', weightDecay);
  const segments = segmentCache('adafactor', options.layout);
  return {
    name: 'scaleByRelativeStepSize',
    settable: ['learningRate', 'weightDecay'],
    init: (params) => {
      segments(params.length);
      return { count: 0 };
    },
    update(updates, state, params, context) {
      const lr = resolveHyperparameter(context, 'learningRate', learningRate);
      const wd = resolveHyperparameter(context, 'weightDecay', weightDecay);
      const t = ++state.count;
      const rho = Math.min(lr, 1 / Math.sqrt(t));
      const decay = lr * wd;
      for (const s of segments(updates.length)) {
        let pp = 0;
        for (let i = s.start; i < s.end; i++) pp += params[i]! * params[i]!;
        const alpha = Math.max(eps, Math.sqrt(pp / (s.end - s.start))) * rho;
        for (let i = s.start; i < s.end; i++) updates[i] = -(alpha * updates[i]! + decay * params[i]!);
      }
    },
    describe: () => ({
      name: 'scaleByRelativeStepSize',
      learningRate: typeof learningRate === 'number' ? learningRate : 'schedule',
      eps,
      weightDecay: typeof weightDecay === 'number' ? weightDecay : 'schedule',
    }),
  };
}
