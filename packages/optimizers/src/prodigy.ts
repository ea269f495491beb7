import type { Optimizer, ScheduleLike } from '@downhill/core';
import { chain, named } from './chain.js';
import { resolveHyperparameter } from './hyperparameter.js';
import { ascendIf } from './maximize.js';
import {
  checkLearningRate,
  checkNonNegative,
  checkPositive,
  checkThat,
  checkUnitInterval,
} from './validate.js';

/** Options of {@link prodigy}. Defaults are the authors' (`prodigyopt`). */
export interface ProdigyOptions {
  /** Multiplier of the estimated step d; leave at 1. Live-settable. Default 1. */
  readonly learningRate?: ScheduleLike;
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Decay of the d estimate's sums. Default sqrt(beta2). */
  readonly beta3?: number;
  /** Added to sqrt(v) as d eps. Default 1e-8. */
  readonly eps?: number;
  /** Weight decay, live-settable. Default 0. */
  readonly weightDecay?: ScheduleLike;
  /** AdamW-style decoupled decay (true) or L2 added to the gradient (false). Default true. */
  readonly decouple?: boolean;
  /** Adam's bias correction in the step. Default false. */
  readonly biasCorrection?: boolean;
  /** Leave the learning rate out of the denominator sum (for warmup schedules). Default false. */
  readonly safeguardWarmup?: boolean;
  /** Initial estimate of the distance to the solution. Default 1e-6. */
  readonly d0?: number;
  /** Scales the estimate d. Default 1. */
  readonly dCoef?: number;
  /** Largest factor d may grow by in a step. Default Infinity. */
  readonly growthRate?: number;
  readonly maximize?: boolean;
}

/** State of {@link prodigy}: the step-size estimate and the sums it comes from, Adam's moments. */
export interface ProdigyState {
  count: number;
  d: number;
  dMax: number;
  dNumerator: number;
  initial: Float64Array;
  s: Float64Array;
  firstMoment: Float64Array;
  secondMoment: Float64Array;
}

function scaleByProdigy(options: ProdigyOptions): Optimizer<ProdigyState> {
  const {
    learningRate = 1,
    beta1 = 0.9,
    beta2 = 0.999,
    eps = 1e-8,
    weightDecay = 0,
    decouple = true,
    biasCorrection = false,
    safeguardWarmup = false,
    d0 = 1e-6,
    dCoef = 1,
    growthRate = Number.POSITIVE_INFINITY,
  } = options;
  const beta3 = options.beta3 ?? Math.sqrt(beta2);
  checkLearningRate('prodigy', learningRate);
  checkUnitInterval('prodigy', 'beta1', beta1);
  checkUnitInterval('prodigy', 'beta2', beta2);
  checkUnitInterval('prodigy', 'beta3', beta3);
  checkNonNegative('prodigy', 'eps', eps);
  checkNonNegative('prodigy', 'weightDecay', weightDecay);
  checkPositive('prodigy', 'd0', d0);
  checkPositive('prodigy', 'dCoef', dCoef);
  checkThat('prodigy', 'growthRate', growthRate >= 1, '>= 1', growthRate);
  return {
    name: 'scaleByProdigy',
    settable: ['learningRate', 'weightDecay'],
    init: (params) => ({
      count: 0,
      d: d0,
      dMax: d0,
      dNumerator: 0,
      initial: Float64Array.from(params),
      s: new Float64Array(params.length),
      firstMoment: new Float64Array(params.length),
      secondMoment: new Float64Array(params.length),
    }),
    update(updates, state, params, context) {
      const lr = resolveHyperparameter(context, 'learningRate', learningRate);
      const wd = resolveHyperparameter(context, 'weightDecay', weightDecay);
      const k = state.count;
      const bc = biasCorrection ? Math.sqrt(1 - beta2 ** (k + 1)) / (1 - beta1 ** (k + 1)) : 1;
      let d = state.d;
      const dlr = d * lr * bc;
      const { initial: p0, s, firstMoment: m, secondMoment: v } = state;
      const n = updates.length;
      let numerator = state.dNumerator * beta3;
      let denominator = 0;
      if (lr > 0) {
        const ratio = d / d0;
        const sRate = ratio * (safeguardWarmup ? d : dlr);
        const a1 = d * (1 - beta1);
        const a2 = d * d * (1 - beta2);
        let dot = 0;
        for (let i = 0; i < n; i++) {
          const g = decouple || wd === 0 ? updates[i]! : updates[i]! + wd * params[i]!;
          dot += g * (p0[i]! - params[i]!);
          m[i] = beta1 * m[i]! + a1 * g;
          v[i] = beta2 * v[i]! + a2 * g * g;
          const si = beta3 * s[i]! + sRate * g;
          s[i] = si;
          denominator += Math.abs(si);
        }
        numerator += ratio * dlr * dot;
      }
      // No gradient yet (all zero): no step, as the authors' code returns early.
      if (denominator === 0) {
        updates.fill(0);
        return;
      }
      if (lr > 0) {
        const dHat = (dCoef * numerator) / denominator;
        if (d === d0) d = Math.max(d, dHat);
        state.dMax = Math.max(state.dMax, dHat);
        d = Math.min(state.dMax, d * growthRate);
      }
      state.dNumerator = numerator;
      state.d = d;
      context.current.prodigyD = d;
      const decay = decouple ? wd * dlr : 0;
      const floor = d * eps;
      for (let i = 0; i < n; i++)
        updates[i] = -(decay * params[i]! + (dlr * m[i]!) / (Math.sqrt(v[i]!) + floor));
      state.count = k + 1;
    },
    describe: () => ({
      name: 'scaleByProdigy',
      beta1,
      beta2,
      beta3,
      eps,
      d0,
      dCoef,
      growthRate: Number.isFinite(growthRate) ? growthRate : 'Infinity',
    }),
  };
}

/**
 * Prodigy (Mishchenko & Defazio, 2024, "Prodigy: An Expeditiously Adaptive Parameter-Free
 * Learner", Algorithm 3; as the authors' `prodigyopt`): Adam whose step size d_k is estimated
 * from the distance travelled, so the learning rate stays 1:
 *
 *   m = b1 m + d_k (1 - b1) g,   v = b2 v + d_k^2 (1 - b2) g^2,
 *   r_k = b3 r_{k-1} + d_k lr d_k/d0 <g, p_0 - p>,   s = b3 s + d_k lr d_k/d0 g,
 *   d_{k+1} = max(d_k, r_k / ||s||_1)   (with d_coef and growth-rate caps),
 *   p <- p - d_k lr (m / (sqrt(v) + d_{k+1} eps) + wd p).
 *
 * The current estimate d is reported in the `step` event as `prodigyD`.
 */
export function prodigy(options: ProdigyOptions = {}): Optimizer<unknown[]> {
  const ascend = options.maximize ?? false;
  const { learningRate = 1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0, d0 = 1e-6 } = options;
  return named(
    'prodigy',
    {
      learningRate,
      beta1,
      beta2,
      beta3: options.beta3 ?? Math.sqrt(beta2),
      eps,
      weightDecay,
      decouple: options.decouple ?? true,
      biasCorrection: options.biasCorrection ?? false,
      safeguardWarmup: options.safeguardWarmup ?? false,
      d0,
      dCoef: options.dCoef ?? 1,
      maximize: ascend,
    },
    chain(...ascendIf(ascend), scaleByProdigy(options)),
  );
}
