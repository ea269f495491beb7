import type { Optimizer, ScheduleLike } from '@downhill/core';
import { weightDecayTerm } from './weight-decay-term.js';

/**
 * Decoupled weight decay (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization"):
 * `u <- u + wd * params`, placed after the preconditioner and before {@link scaleByLearningRate},
 * so that the step becomes `-lr (u + wd params)`: PyTorch's AdamW `p <- p (1 - lr wd) - lr u`,
 * with the decay following live changes of the learning rate. Keras' AdamW does the same; TF.js
 * has no AdamW. `wd` is live-settable as `weightDecay`. Stateless.
 */
export function addDecayedWeights(weightDecay: ScheduleLike): Optimizer<Record<string, never>> {
  return weightDecayTerm('addDecayedWeights', weightDecay);
}
