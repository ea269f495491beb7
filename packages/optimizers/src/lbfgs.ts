import type { Objective } from '@downhill/core';
import { lineSearchBuffers, strongWolfe } from './strong-wolfe.js';
import { checkInteger, checkNonNegative, checkPositive, checkThat } from './validate.js';

/** Options of {@link lbfgs}. Defaults are PyTorch's `torch.optim.LBFGS`. */
export interface LbfgsOptions<TBatch> {
  /** Step length scale (PyTorch `lr`). Default 1. */
  readonly learningRate?: number;
  /** Iterations (PyTorch `max_iter`, per `step()` call). Default 20. */
  readonly maxIterations?: number;
  /** Objective evaluations before stopping (`max_eval`). Default floor(maxIterations * 5 / 4). */
  readonly maxEvaluations?: number;
  /** Stop when max |g_i| <= this (`tolerance_grad`). Default 1e-7. */
  readonly toleranceGrad?: number;
  /** Stop when the loss or the step changes by less (`tolerance_change`). Default 1e-9. */
  readonly toleranceChange?: number;
  /** Curvature pairs kept (`history_size`). Default 100. */
  readonly historySize?: number;
  /** `'strong-wolfe'` (PyTorch `line_search_fn='strong_wolfe'`) or `'none'` (fixed step). Default `'none'`. */
  readonly lineSearch?: 'strong-wolfe' | 'none';
  /** The batch every evaluation uses (full-batch: the whole data set). Omit for test functions. */
  readonly batch?: TBatch;
  /**
   * The `state` of a previous call's result: continue from it, as calling PyTorch's `step()`
   * again does (same direction, step, curvature history and iteration count). Updated in place.
   */
  readonly state?: LbfgsState;
}

/**
 * What carries over from one {@link lbfgs} call to the next (PyTorch's optimizer state): plain
 * numbers, arrays and `Float64Array`s, serialisable with core's `serializeState`.
 */
export interface LbfgsState {
  /** Iterations over all calls (PyTorch `n_iter`). */
  iterations: number;
  /** Evaluations over all calls (PyTorch `func_evals`). */
  evaluations: number;
  direction: Float64Array;
  step: number;
  previousGradient: Float64Array;
  /** Curvature pairs, oldest first: y_i = g_{i+1} - g_i, s_i = t_i d_i, rho_i = 1 / y_i^T s_i. */
  gradientDifferences: Float64Array[];
  steps: Float64Array[];
  rho: number[];
  hessianDiagonal: number;
}

/** Why {@link lbfgs} stopped. */
export type LbfgsStopReason =
  | 'gradient-tolerance'
  | 'loss-tolerance'
  | 'step-tolerance'
  | 'no-descent'
  | 'max-iterations'
  | 'max-evaluations';

/** What {@link lbfgs} returns. */
export interface LbfgsResult {
  readonly params: Float64Array;
  /**
   * The last loss evaluated: at `params` with a line search; without one, the last iteration
   * moves without evaluating (as PyTorch), so it is the loss one step before `params`.
   */
  readonly loss: number;
  readonly iterations: number;
  /** Objective evaluations in this call (each with its gradient), the first one included. */
  readonly evaluations: number;
  readonly reason: LbfgsStopReason;
  /** Pass it back as `options.state` to continue. */
  readonly state: LbfgsState;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Limited-memory BFGS (Liu & Nocedal, 1989, "On the limited memory BFGS method for large scale
 * optimization"; two-loop recursion of Nocedal, 1980) as a standalone minimiser that calls the
 * objective as often as it needs, like one `step(closure)` of PyTorch's `torch.optim.LBFGS`
 * (same iteration, initial step min(1, 1/||g||_1) lr, curvature test y^T s > 1e-10, scaling
 * H_0 = y^T s / y^T y, strong-Wolfe search and stopping rules), so its evaluations match
 * PyTorch's one for one.
 *
 * It runs its own loop: `train()` does not drive it (the run loop evaluates the objective once
 * per step). Full batch: every evaluation uses `options.batch`.
 */
export function lbfgs<TBatch>(
  objective: Objective<TBatch>,
  start: ArrayLike<number>,
  options: LbfgsOptions<TBatch> = {},
): LbfgsResult {
  const learningRate = options.learningRate ?? 1;
  const maxIterations = options.maxIterations ?? 20;
  const maxEvaluations = options.maxEvaluations ?? Math.floor((maxIterations * 5) / 4);
  const toleranceGrad = options.toleranceGrad ?? 1e-7;
  const toleranceChange = options.toleranceChange ?? 1e-9;
  const historySize = options.historySize ?? 100;
  const lineSearch = options.lineSearch ?? 'none';
  checkPositive('lbfgs', 'learningRate', learningRate);
  checkInteger('lbfgs', 'maxIterations', maxIterations, 1);
  checkInteger('lbfgs', 'maxEvaluations', maxEvaluations, 1);
  checkNonNegative('lbfgs', 'toleranceGrad', toleranceGrad);
  checkNonNegative('lbfgs', 'toleranceChange', toleranceChange);
  checkInteger('lbfgs', 'historySize', historySize, 1);
  checkThat(
    'lbfgs',
    'lineSearch',
    lineSearch === 'strong-wolfe' || lineSearch === 'none',
    "'strong-wolfe' or 'none'",
    lineSearch,
  );
  const n = objective.dimension;
  if (start.length !== n) {
    throw new RangeError(`lbfgs: start has ${start.length} parameters, the objective has ${n}`);
  }
  const batch = options.batch as TBatch;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  let evaluations = 0;
  const evaluate = (at: Float64Array, grad: Float64Array): number => {
    evaluations++;
    const f = objective.loss(at, batch, grad);
    if (!Number.isFinite(f))
      throw new RangeError(`lbfgs: the objective returned ${f} at evaluation ${evaluations}`);
    return f;
  };
  const state: LbfgsState = options.state ?? {
    iterations: 0,
    evaluations: 0,
    direction: new Float64Array(n),
    step: 0,
    previousGradient: new Float64Array(n),
    gradientDifferences: [],
    steps: [],
    rho: [],
    hessianDiagonal: 1,
  };
  if (state.direction.length !== n) {
    throw new RangeError(`lbfgs: state is for ${state.direction.length} parameters, the objective has ${n}`);
  }
  const finish = (loss: number, iterations: number, reason: LbfgsStopReason): LbfgsResult => {
    state.evaluations += evaluations;
    return { params: x, loss, iterations, evaluations, reason, state };
  };
  let loss = evaluate(x, g);
  if (maxAbs(g) <= toleranceGrad) return finish(loss, 0, 'gradient-tolerance');

  const d = state.direction;
  const prevG = state.previousGradient;
  const xInit = new Float64Array(n);
  const trial = new Float64Array(n);
  const yNew = new Float64Array(n);
  const sNew = new Float64Array(n);
  const buffers = lineSearchBuffers(n);
  const ys = state.gradientDifferences;
  const ss = state.steps;
  const rho = state.rho;
  // A history kept from a call with a larger historySize is trimmed to this one's.
  while (ys.length > historySize) {
    ys.shift();
    ss.shift();
    rho.shift();
  }
  const alpha = new Float64Array(historySize);
  let hDiag = state.hessianDiagonal;
  let t = state.step;
  let iterations = 0;
  let reason: LbfgsStopReason = 'max-iterations';
  const phi = (step: number, grad: Float64Array): number => {
    for (let i = 0; i < n; i++) trial[i] = xInit[i]! + step * d[i]!;
    return evaluate(trial, grad);
  };

  while (iterations < maxIterations) {
    iterations++;
    state.iterations++;
    if (state.iterations === 1) {
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      hDiag = 1;
    } else {
      // New curvature pair y = g_k - g_{k-1}, s = t d, kept when y^T s > 1e-10 (the oldest pair
      // makes room when the history is full; its buffers are reused).
      for (let i = 0; i < n; i++) {
        yNew[i] = g[i]! - prevG[i]!;
        sNew[i] = d[i]! * t;
      }
      const yTs = dot(yNew, sNew);
      if (yTs > 1e-10) {
        const full = ys.length === historySize;
        const y = full ? ys.shift()! : new Float64Array(n);
        const s = full ? ss.shift()! : new Float64Array(n);
        if (full) rho.shift();
        y.set(yNew);
        s.set(sNew);
        ys.push(y);
        ss.push(s);
        rho.push(1 / yTs);
        hDiag = yTs / dot(yNew, yNew);
      }
      // Two-loop recursion: d = -H g.
      const k = ys.length;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      for (let j = k - 1; j >= 0; j--) {
        const a = dot(ss[j]!, d) * rho[j]!;
        alpha[j] = a;
        const yj = ys[j]!;
        for (let i = 0; i < n; i++) d[i]! -= a * yj[i]!;
      }
      for (let i = 0; i < n; i++) d[i]! *= hDiag;
      for (let j = 0; j < k; j++) {
        const b = dot(ys[j]!, d) * rho[j]!;
        const sj = ss[j]!;
        const c = alpha[j]! - b;
        for (let i = 0; i < n; i++) d[i]! += c * sj[i]!;
      }
    }
    prevG.set(g);
    const prevLoss = loss;
    if (state.iterations === 1) {
      let l1 = 0;
      for (let i = 0; i < n; i++) l1 += Math.abs(g[i]!);
      t = Math.min(1, 1 / l1) * learningRate;
    } else {
      t = learningRate;
    }
    const gtd = dot(g, d);
    if (gtd > -toleranceChange) {
      reason = 'no-descent';
      break;
    }
    let optimal = false;
    if (lineSearch === 'strong-wolfe') {
      xInit.set(x);
      const found = strongWolfe(phi, loss, g, gtd, t, d, toleranceChange, buffers, g);
      loss = found.loss;
      t = found.step;
      for (let i = 0; i < n; i++) x[i] = xInit[i]! + t * d[i]!;
      optimal = maxAbs(g) <= toleranceGrad;
    } else {
      for (let i = 0; i < n; i++) x[i]! += t * d[i]!;
      if (iterations !== maxIterations) {
        loss = evaluate(x, g);
        optimal = maxAbs(g) <= toleranceGrad;
      }
    }
    if (iterations === maxIterations) {
      reason = 'max-iterations';
      break;
    }
    if (evaluations >= maxEvaluations) {
      reason = 'max-evaluations';
      break;
    }
    if (optimal) {
      reason = 'gradient-tolerance';
      break;
    }
    if (maxAbs(d) * Math.abs(t) <= toleranceChange) {
      reason = 'step-tolerance';
      break;
    }
    if (Math.abs(loss - prevLoss) < toleranceChange) {
      reason = 'loss-tolerance';
      break;
    }
  }
  state.hessianDiagonal = hDiag;
  state.step = t;
  return finish(loss, iterations, reason);
}
