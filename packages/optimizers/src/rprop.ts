import type { Optimizer } from '@downhill/core';
import { chain, named } from './chain.js';
import { ascendIf } from './maximize.js';
import { type RpropOptions, scaleByRprop } from './scale-by-rprop.js';
import { checkNonNegative, checkThat } from './validate.js';

/** Options of {@link rprop}: PyTorch's `lr` is `initialStep`. Defaults are PyTorch's. */
export interface RpropOptimizerOptions extends RpropOptions {
  readonly maximize?: boolean;
}

/**
 * Rprop (Riedmiller & Braun, 1993), as PyTorch's `torch.optim.Rprop`: each coordinate moves by
 * its own step size against the sign of its gradient; the step grows by etaPlus while the sign
 * holds and shrinks by etaMinus when it flips (that step is then skipped). See
 * {@link scaleByRprop}. Full-batch method: mini-batch noise flips signs at random.
 * Nothing is live-settable (the learning rate is only the initial step size).
 */
export function rprop(options: RpropOptimizerOptions = {}): Optimizer<unknown[]> {
  const initialStep = options.initialStep ?? 0.01;
  const etaMinus = options.etaMinus ?? 0.5;
  const etaPlus = options.etaPlus ?? 1.2;
  const minStep = options.minStep ?? 1e-6;
  const maxStep = options.maxStep ?? 50;
  const ascend = options.maximize ?? false;
  checkNonNegative('rprop', 'initialStep', initialStep);
  checkThat('rprop', 'etaMinus', etaMinus > 0 && etaMinus < 1, 'in (0, 1)', etaMinus);
  checkThat('rprop', 'etaPlus', etaPlus > 1 && Number.isFinite(etaPlus), 'a finite number > 1', etaPlus);
  checkNonNegative('rprop', 'minStep', minStep);
  checkThat('rprop', 'maxStep', maxStep >= minStep, `>= minStep (${minStep})`, maxStep);
  return named(
    'rprop',
    { initialStep, etaMinus, etaPlus, minStep, maxStep, maximize: ascend },
    chain(...ascendIf(ascend), scaleByRprop({ initialStep, etaMinus, etaPlus, minStep, maxStep })),
  );
}
