import type { Optimizer, ScheduleLike } from '@downhill/core';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import type { LayoutBlock } from './parameter-layout.js';
import { scaleByFactoredRms } from './scale-by-factored-rms.js';
import { scaleByRelativeStepSize } from './scale-by-relative-step-size.js';

/** Options of {@link adafactor}. Defaults are PyTorch 2.5's `torch.optim.Adafactor`. */
export interface AdafactorOptions {
  /** Cap of the relative step and weight-decay rate, live-settable. Default 0.01. */
  readonly learningRate?: ScheduleLike;
  /** tau in beta2_t = 1 - t^tau. Default -0.8. */
  readonly beta2Decay?: number;
  /** eps1, the floor of sqrt(V). Default float64 machine epsilon (PyTorch: the dtype's). */
  readonly eps1?: number;
  /** eps2, the floor of a block's RMS. Default 1e-3. */
  readonly eps2?: number;
  /** Clipping threshold d. Default 1. */
  readonly clipThreshold?: number;
  /** Decoupled weight decay (times the learning rate), live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** Named, shaped blocks (a model's `layout`): 2-D blocks get factored second moments. */
  readonly layout?: readonly LayoutBlock[];
  readonly maximize?: boolean;
}

/**
 * Adafactor (Shazeer & Stern, ICML 2018), as PyTorch 2.5's `torch.optim.Adafactor`: factored
 * second moments for the 2-D blocks of the layout (r + c numbers for an r x c weight matrix),
 * update clipping, and steps relative to each block's RMS:
 *
 *   V = R C / mean(R)  (2-D)  or  EMA of g^2,  with beta2_t = 1 - t^tau;
 *   U = g / sqrt(V),  U <- U / max(1, RMS(U) / d);
 *   p <- p - gamma lambda p - max(eps2, RMS(p)) min(gamma, 1/sqrt(t)) U.
 *
 * Chain: [maximize], scaleByFactoredRms, scaleByRelativeStepSize. Without a layout the whole
 * vector is one (unfactored) block. No first moment (PyTorch's has none either).
 */
export function adafactor(options: AdafactorOptions = {}): Optimizer<unknown[]> {
  const {
    learningRate = 0.01,
    beta2Decay = -0.8,
    eps1 = Number.EPSILON,
    eps2 = 1e-3,
    clipThreshold = 1,
    weightDecay = 0,
    layout,
  } = options;
  const ascend = options.maximize ?? false;
  return named(
    'adafactor',
    {
      learningRate,
      beta2Decay,
      eps1,
      eps2,
      clipThreshold,
      weightDecay,
      layers: layout?.length ?? 1,
      maximize: ascend,
    },
    chain(
      ...ascendIf(ascend),
      scaleByFactoredRms({ beta2Decay, eps: eps1, clipThreshold, ...(layout ? { layout } : {}) }),
      scaleByRelativeStepSize({ learningRate, eps: eps2, weightDecay, ...(layout ? { layout } : {}) }),
    ),
  );
}
