import {
  type Optimizer,
  type ScheduleLike,
  type UpdateContext,
  type Vector,
  withFusedStep,
} from '@downhill/core';
import { resolveDecayRate, resolveHyperparameter } from './hyperparameter.js';
import { checkDecayRate, checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/** Options of {@link scaleByAdam}. */
export interface AdamMomentsOptions {
  /**
   * Decay of the first moment (live-settable as `beta1`): a number or a `step -> value` schedule
   * (PyTorch's one-cycle and cyclic schedulers cycle Adam's beta1 against the learning rate).
   * Default 0.9.
   */
  readonly beta1?: ScheduleLike;
  /** Decay of the second moment (live-settable as `beta2`). Default 0.999. */
  readonly beta2?: number;
  /** Added to the bias-corrected root second moment. Default 1e-8. */
  readonly eps?: number;
  /** AMSGrad: divide by the running maximum of the raw second moment. Default false. */
  readonly amsgrad?: boolean;
  /**
   * When given, also scales by minus the learning rate in the same pass (live-settable as
   * `learningRate`): the same numbers as following with {@link scaleByLearningRate}, one pass
   * over memory fewer. `adam` uses it.
   */
  readonly learningRate?: ScheduleLike;
}

/** State of {@link scaleByAdam}. `maxSecondMoment` is empty unless AMSGrad is on. */
export interface AdamMomentsState {
  count: number;
  firstMoment: Float64Array;
  secondMoment: Float64Array;
  maxSecondMoment: Float64Array;
}

/**
 * Adam's preconditioner (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization"), in
 * PyTorch's form:
 *
 *   m_t = b1 m_{t-1} + (1 - b1) g_t,   v_t = b2 v_{t-1} + (1 - b2) g_t^2,
 *   u_t = (m_t / (1 - b1^t)) / (sqrt(v_t) / sqrt(1 - b2^t) + eps).
 *
 * With AMSGrad (Reddi, Kale & Kumar, 2018, "On the Convergence of Adam and Beyond") the
 * denominator uses vmax_t = max(vmax_{t-1}, v_t), the maximum of the raw (not bias-corrected)
 * second moment, as PyTorch (and Keras) do. Keras adds eps to the uncorrected sqrt(v_t) and folds
 * both corrections into the step size ("epsilon hat"), so its eps (default 1e-7) acts
 * sqrt(1 - b2^t) times smaller early on; TF.js adds eps to the corrected root, as here.
 * Follow with {@link scaleByLearningRate}.
 */
export function scaleByAdam(options: AdamMomentsOptions = {}): Optimizer<AdamMomentsState> {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const amsgrad = options.amsgrad ?? false;
  checkDecayRate('scaleByAdam', 'beta1', beta1);
  checkUnitInterval('scaleByAdam', 'beta2', beta2);
  checkNonNegative('scaleByAdam', 'eps', eps);
  const learningRate = options.learningRate;
  if (learningRate !== undefined) checkLearningRate('scaleByAdam', learningRate);
  const transform: Optimizer<AdamMomentsState> = {
    name: 'scaleByAdam',
    settable: learningRate === undefined ? ['beta1', 'beta2'] : ['beta1', 'beta2', 'learningRate'],
    init: (params) => ({
      count: 0,
      firstMoment: new Float64Array(params.length),
      secondMoment: new Float64Array(params.length),
      maxSecondMoment: new Float64Array(amsgrad ? params.length : 0),
    }),
    update(updates, state, _params, context) {
      const b1 = resolveDecayRate(context, 'scaleByAdam', 'beta1', beta1);
      const b2 = resolveDecayRate(context, 'scaleByAdam', 'beta2', beta2);
      const scale =
        learningRate === undefined ? 1 : -resolveHyperparameter(context, 'learningRate', learningRate);
      const t = ++state.count;
      const c1 = 1 / (1 - b1 ** t);
      const c2 = 1 / Math.sqrt(1 - b2 ** t);
      const a1 = 1 - b1;
      const a2 = 1 - b2;
      const m = state.firstMoment;
      const v = state.secondMoment;
      const n = updates.length;
      if (amsgrad) {
        const vmax = state.maxSecondMoment;
        for (let i = 0; i < n; i++) {
          const g = updates[i]!;
          const mi = b1 * m[i]! + a1 * g;
          const vi = b2 * v[i]! + a2 * g * g;
          const wi = Math.max(vi, vmax[i]!);
          m[i] = mi;
          v[i] = vi;
          vmax[i] = wi;
          updates[i] = ((mi * c1) / (Math.sqrt(wi) * c2 + eps)) * scale;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const g = updates[i]!;
          const mi = b1 * m[i]! + a1 * g;
          const vi = b2 * v[i]! + a2 * g * g;
          m[i] = mi;
          v[i] = vi;
          updates[i] = ((mi * c1) / (Math.sqrt(vi) * c2 + eps)) * scale;
        }
      }
    },
    describe: () => ({
      name: 'scaleByAdam',
      beta1: typeof beta1 === 'number' ? beta1 : (beta1.description ?? 'schedule'),
      beta2,
      eps,
      amsgrad,
      ...(learningRate === undefined
        ? {}
        : { learningRate: typeof learningRate === 'number' ? learningRate : 'schedule' }),
    }),
  };
  /**
   * update, then params += updates, in the same pass (see GradientTransformation.fusedStep): the
   * same numbers, one read and write of the parameters fewer than update plus the run loop's
   * apply pass. Previous parameters are kept in `updates` so a non-finite one can be undone; the
   * moments advance over every element either way, as update advances them.
   */
  const fusedStep = (
    updates: Vector,
    state: AdamMomentsState,
    params: Vector,
    context: UpdateContext,
  ): boolean => {
    const b1 = resolveDecayRate(context, 'scaleByAdam', 'beta1', beta1);
    const b2 = resolveDecayRate(context, 'scaleByAdam', 'beta2', beta2);
    const scale =
      learningRate === undefined ? 1 : -resolveHyperparameter(context, 'learningRate', learningRate);
    const t = ++state.count;
    const c1 = 1 / (1 - b1 ** t);
    const c2 = 1 / Math.sqrt(1 - b2 ** t);
    const a1 = 1 - b1;
    const a2 = 1 - b2;
    const m = state.firstMoment;
    const v = state.secondMoment;
    const vmax = state.maxSecondMoment;
    const n = updates.length;
    // Index of the first non-finite new parameter, n while there is none.
    let bad = n;
    for (let i = 0; i < n; i++) {
      const g = updates[i]!;
      const mi = b1 * m[i]! + a1 * g;
      const vi = b2 * v[i]! + a2 * g * g;
      m[i] = mi;
      v[i] = vi;
      let wi = vi;
      if (amsgrad) {
        wi = Math.max(vi, vmax[i]!);
        vmax[i] = wi;
      }
      const u = ((mi * c1) / (Math.sqrt(wi) * c2 + eps)) * scale;
      if (bad < n) continue;
      const p = params[i]!;
      const next = p + u;
      // next - next is 0 for every finite value, NaN for NaN and infinities.
      if (next - next !== 0) {
        bad = i;
        continue;
      }
      updates[i] = p;
      params[i] = next;
    }
    if (bad === n) return true;
    for (let j = 0; j < bad; j++) params[j] = updates[j]!;
    return false;
  };
  return withFusedStep(transform, fusedStep);
}
