import type { GradientTransformation, Optimizer, ScheduleLike } from '@downhill/core';
import { adamw } from './adamw.js';
import { describeTransform, settableOf } from './chain.js';
import { resolveHyperparameter } from './hyperparameter.js';
import { type NewtonSchulzScratch, newtonSchulz, newtonSchulzScratch } from './orthogonalize.js';
import { type LayoutBlock, type LayoutSegment, segmentCache } from './parameter-layout.js';
import { checkInteger, checkLearningRate, checkNonNegative, checkThat } from './validate.js';

/** Options of {@link muon}. Defaults are PyTorch 2.9's `torch.optim.Muon`. */
export interface MuonOptions {
  /** The named, shaped blocks (a model's `layout`): Muon updates those with rows and cols > 1. Required. */
  readonly layout: readonly LayoutBlock[];
  /** Live-settable (the fallback reads the same `learningRate` override). Default 1e-3. */
  readonly learningRate?: ScheduleLike;
  /** Decoupled: p <- p (1 - lr wd); live-settable. Default 0.1. */
  readonly weightDecay?: ScheduleLike;
  /** Live-settable. Default 0.95. */
  readonly momentum?: number;
  /** Default true. */
  readonly nesterov?: boolean;
  /** Newton-Schulz polynomial (a, b, c). Default (3.4445, -4.7750, 2.0315). */
  readonly nsCoefficients?: readonly [number, number, number];
  /** Default 5. */
  readonly nsSteps?: number;
  /** Floor of the Frobenius norm before the iteration. Default 1e-7. */
  readonly eps?: number;
  /**
   * Step scale per r x c block: `'original'` sqrt(max(1, r / c)) (Jordan's), `'matchRmsAdamw'`
   * 0.2 sqrt(max(r, c)) (Moonshot's, reuses AdamW's learning rate), `'none'`. Default `'original'`.
   */
  readonly adjustLearningRate?: 'original' | 'matchRmsAdamw' | 'none';
  /**
   * Optimizer of every parameter outside the 2-D blocks (biases, and parameters no block names),
   * run on those coordinates gathered into one vector. Default `adamw` with the same learning
   * rate and weight decay (Keras does the same).
   */
  readonly fallback?: GradientTransformation<unknown>;
}

/** State of {@link muon}: the momentum of the 2-D blocks (in layout order) and the fallback's state. */
export interface MuonState {
  momentumBuffer: Float64Array;
  fallback: unknown;
}

interface Plan {
  matrices: LayoutSegment[];
  rest: LayoutSegment[];
  restLength: number;
  packedUpdates: Float64Array;
  packedParams: Float64Array;
  scratch: NewtonSchulzScratch;
}

/**
 * Muon (Jordan et al., 2024, "Muon: An optimizer for hidden layers in neural networks"), as
 * PyTorch 2.9's `torch.optim.Muon`, for the 2-D weight blocks of a layout, with a fallback
 * optimizer for the rest (PyTorch leaves that to the user; Keras' Muon uses AdamW):
 *
 *   B_t = mu B_{t-1} + (1 - mu) G_t,   M_t = (1 - mu) G_t + mu B_t (Nesterov) or B_t,
 *   O_t = NS5(M_t)  (Newton-Schulz orthogonalisation),
 *   W_t = W_{t-1} (1 - lr wd) - lr sqrt(max(1, r / c)) O_t.
 *
 * The buffer is PyTorch's code (a lerp, an EMA), not its documentation's B = mu B + g: the scale
 * vanishes in the normalisation either way.
 */
export function muon(options: MuonOptions): Optimizer<MuonState> {
  const {
    layout,
    learningRate = 1e-3,
    weightDecay = 0.1,
    momentum = 0.95,
    nesterov = true,
    nsCoefficients = [3.4445, -4.775, 2.0315] as const,
    nsSteps = 5,
    eps = 1e-7,
    adjustLearningRate = 'original',
  } = options;
  checkThat('muon', 'layout', Array.isArray(layout), 'an array of layout blocks', layout);
  checkLearningRate('muon', learningRate);
  checkNonNegative('muon', 'weightDecay', weightDecay);
  checkNonNegative('muon', 'momentum', momentum);
  checkInteger('muon', 'nsSteps', nsSteps, 0);
  checkNonNegative('muon', 'eps', eps);
  checkThat(
    'muon',
    'adjustLearningRate',
    ['original', 'matchRmsAdamw', 'none'].includes(adjustLearningRate),
    "'original', 'matchRmsAdamw' or 'none'",
    adjustLearningRate,
  );
  const fallback = options.fallback ?? adamw({ learningRate, weightDecay });
  const segments = segmentCache('muon', layout);
  let plan: Plan | undefined;
  let planLength = -1;
  const planFor = (length: number): Plan => {
    if (plan && planLength === length) return plan;
    const all = segments(length);
    const matrices = all.filter((s) => s.rows > 1 && s.cols > 1);
    const rest = all.filter((s) => !(s.rows > 1 && s.cols > 1));
    const restLength = rest.reduce((n, s) => n + s.end - s.start, 0);
    let maxRows = 0;
    let maxCols = 0;
    let maxSize = 0;
    for (const s of matrices) {
      if (s.rows * s.cols > maxSize) {
        maxSize = s.rows * s.cols;
        maxRows = s.rows;
        maxCols = s.cols;
      }
    }
    let largestSide = 0;
    for (const s of matrices) largestSide = Math.max(largestSide, Math.min(s.rows, s.cols));
    const scratch = newtonSchulzScratch(maxRows, maxCols);
    if (scratch.gram.length < largestSide * largestSide) {
      scratch.gram = new Float64Array(largestSide * largestSide);
      scratch.poly = new Float64Array(largestSide * largestSide);
    }
    plan = {
      matrices,
      rest,
      restLength,
      packedUpdates: new Float64Array(restLength),
      packedParams: new Float64Array(restLength),
      scratch,
    };
    planLength = length;
    return plan;
  };
  const gather = (from: ArrayLike<number>, to: Float64Array, rest: LayoutSegment[]) => {
    let k = 0;
    for (const s of rest) for (let i = s.start; i < s.end; i++) to[k++] = from[i]!;
  };
  return {
    name: 'muon',
    settable: [
      ...new Set(['learningRate', 'weightDecay', 'momentum', ...settableOf([fallback as Optimizer])]),
    ],
    init(params) {
      const p = planFor(params.length);
      gather(params, p.packedParams, p.rest);
      const matrixLength = p.matrices.reduce((n, s) => n + s.end - s.start, 0);
      return { momentumBuffer: new Float64Array(matrixLength), fallback: fallback.init(p.packedParams) };
    },
    update(updates, state, params, context) {
      const p = planFor(updates.length);
      if (p.restLength > 0) {
        gather(updates, p.packedUpdates, p.rest);
        gather(params, p.packedParams, p.rest);
        fallback.update(p.packedUpdates, state.fallback, p.packedParams, context);
        let k = 0;
        for (const s of p.rest) for (let i = s.start; i < s.end; i++) updates[i] = p.packedUpdates[k++]!;
      }
      const lr = resolveHyperparameter(context, 'learningRate', learningRate);
      const wd = resolveHyperparameter(context, 'weightDecay', weightDecay);
      const mu = resolveHyperparameter(context, 'momentum', momentum);
      const buf = state.momentumBuffer;
      let bo = 0;
      for (const s of p.matrices) {
        const size = s.end - s.start;
        for (let k = 0; k < size; k++) {
          const g = updates[s.start + k]!;
          const b = buf[bo + k]! + (1 - mu) * (g - buf[bo + k]!);
          buf[bo + k] = b;
          updates[s.start + k] = nesterov ? g + mu * (b - g) : b;
        }
        newtonSchulz(updates, updates, s.start, s.rows, s.cols, nsCoefficients, nsSteps, eps, p.scratch);
        const ratio =
          adjustLearningRate === 'original'
            ? Math.sqrt(Math.max(1, s.rows / s.cols))
            : adjustLearningRate === 'matchRmsAdamw'
              ? 0.2 * Math.sqrt(Math.max(s.rows, s.cols))
              : 1;
        const step = lr * ratio;
        const decay = lr * wd;
        for (let k = s.start; k < s.end; k++) updates[k] = -(decay * params[k]! + step * updates[k]!);
        bo += size;
      }
    },
    describe: () => ({
      name: 'muon',
      learningRate: typeof learningRate === 'number' ? learningRate : 'schedule',
      weightDecay: typeof weightDecay === 'number' ? weightDecay : 'schedule',
      momentum,
      nesterov,
      nsCoefficients: [...nsCoefficients],
      nsSteps,
      eps,
      adjustLearningRate,
      fallback: describeTransform(fallback as Optimizer),
    }),
  };
}
