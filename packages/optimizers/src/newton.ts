import type { Objective } from '@downhill/core';
import { checkInteger, checkNonNegative, checkPositive, checkThat } from './validate.js';

/** Options of {@link newton}. */
export interface NewtonOptions<TBatch> {
  /**
   * The exact Hessian at `params`, written row-major into `out` (n x n), for models that have one.
   * Default: central finite differences of the gradient (2 n gradient evaluations an iteration).
   */
  readonly hessian?: (params: Float64Array, out: Float64Array) => void;
  /** Relative step of the finite differences: h_i = step * max(1, |x_i|). Default 1e-5. */
  readonly finiteDifferenceStep?: number;
  /** lambda added to the Hessian's diagonal (Levenberg-Marquardt damping). Default 0. */
  readonly damping?: number;
  /** Default 50. */
  readonly maxIterations?: number;
  /** Stop when max |g_i| <= this. Default 1e-10. */
  readonly toleranceGrad?: number;
  /** `'backtracking'` (Armijo, halving from the full step) or `'none'` (the full step). Default `'backtracking'`. */
  readonly lineSearch?: 'backtracking' | 'none';
  /** The batch every evaluation uses. Omit for test functions. */
  readonly batch?: TBatch;
}

/** What {@link newton} returns. */
export interface NewtonResult {
  readonly params: Float64Array;
  /** Loss at `params`. */
  readonly loss: number;
  readonly iterations: number;
  /** Objective evaluations (each with its gradient), finite differences included. */
  readonly evaluations: number;
  /** Largest damping the Cholesky factorisation needed (0 when the Hessian was positive definite). */
  readonly maxDamping: number;
  readonly reason: 'gradient-tolerance' | 'max-iterations' | 'no-progress';
}

/** In-place Cholesky factor of the n x n row-major `a` (lower triangle); false when not positive definite. */
function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! ** 2;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / l;
    }
  }
  return true;
}

/** Solves L L^T x = b in place in `b`. */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/**
 * Newton's method for small problems: d = -(H + lambda I)^{-1} g, p <- p + t d, with the exact
 * Hessian when given or central differences of the gradient, Levenberg-Marquardt damping, and
 * Armijo backtracking (f(p + t d) <= f(p) + 1e-4 t g^T d, t halving from 1). Where H + lambda I is
 * not positive definite (a saddle or a maximum nearby), the damping grows tenfold from
 * max(lambda, 1e-8 mean |H_ii|) until it is, so the step always descends. Quadratic convergence
 * near a minimum with a positive definite Hessian: one step on a quadratic.
 *
 * A standalone minimiser with its own loop (like `lbfgs`): `train()` evaluates the objective once
 * per step and does not drive it. O(n^2) memory, O(n^3) per iteration: small problems only.
 */
export function newton<TBatch>(
  objective: Objective<TBatch>,
  start: ArrayLike<number>,
  options: NewtonOptions<TBatch> = {},
): NewtonResult {
  const step = options.finiteDifferenceStep ?? 1e-5;
  const damping = options.damping ?? 0;
  const maxIterations = options.maxIterations ?? 50;
  const toleranceGrad = options.toleranceGrad ?? 1e-10;
  const lineSearch = options.lineSearch ?? 'backtracking';
  checkPositive('newton', 'finiteDifferenceStep', step);
  checkNonNegative('newton', 'damping', damping);
  checkInteger('newton', 'maxIterations', maxIterations, 1);
  checkNonNegative('newton', 'toleranceGrad', toleranceGrad);
  checkThat(
    'newton',
    'lineSearch',
    lineSearch === 'backtracking' || lineSearch === 'none',
    "'backtracking' or 'none'",
    lineSearch,
  );
  const n = objective.dimension;
  if (start.length !== n)
    throw new RangeError(`newton: start has ${start.length} parameters, the objective has ${n}`);
  const batch = options.batch as TBatch;
  let evaluations = 0;
  const evaluate = (at: Float64Array, grad: Float64Array): number => {
    evaluations++;
    const f = objective.loss(at, batch, grad);
    if (!Number.isFinite(f))
      throw new RangeError(`newton: the objective returned ${f} at evaluation ${evaluations}`);
    return f;
  };
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  const h = new Float64Array(n * n);
  const a = new Float64Array(n * n);
  const d = new Float64Array(n);
  const probe = new Float64Array(n);
  const gPlus = new Float64Array(n);
  const gMinus = new Float64Array(n);
  const trial = new Float64Array(n);
  const gTrial = new Float64Array(n);
  let loss = evaluate(x, g);
  let iterations = 0;
  let maxDamping = 0;
  const maxAbs = (v: Float64Array) => v.reduce((m, vi) => Math.max(m, Math.abs(vi)), 0);
  while (iterations < maxIterations) {
    if (maxAbs(g) <= toleranceGrad)
      return { params: x, loss, iterations, evaluations, maxDamping, reason: 'gradient-tolerance' };
    iterations++;
    if (options.hessian) {
      options.hessian(x, h);
    } else {
      probe.set(x);
      for (let j = 0; j < n; j++) {
        const hj = step * Math.max(1, Math.abs(x[j]!));
        probe[j] = x[j]! + hj;
        evaluate(probe, gPlus);
        probe[j] = x[j]! - hj;
        evaluate(probe, gMinus);
        probe[j] = x[j]!;
        for (let i = 0; i < n; i++) h[i * n + j] = (gPlus[i]! - gMinus[i]!) / (2 * hj);
      }
      // Symmetrise: finite differences leave H_ij and H_ji a rounding apart.
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          const v = 0.5 * (h[i * n + j]! + h[j * n + i]!);
          h[i * n + j] = v;
          h[j * n + i] = v;
        }
    }
    let lambda = damping;
    let scale = 0;
    for (let i = 0; i < n; i++) scale += Math.abs(h[i * n + i]!);
    scale = Math.max(scale / n, 1e-300);
    for (;;) {
      a.set(h);
      for (let i = 0; i < n; i++) a[i * n + i]! += lambda;
      if (cholesky(a, n)) break;
      lambda = Math.max(lambda * 10, 1e-8 * scale);
      if (!Number.isFinite(lambda))
        throw new RangeError('newton: the Hessian could not be damped to positive definite');
    }
    maxDamping = Math.max(maxDamping, lambda === damping ? 0 : lambda);
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    choleskySolve(a, n, d);
    let gtd = 0;
    for (let i = 0; i < n; i++) gtd += g[i]! * d[i]!;
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 40; k++) {
      for (let i = 0; i < n; i++) trial[i] = x[i]! + t * d[i]!;
      const f = evaluate(trial, gTrial);
      if (lineSearch === 'none' || f <= loss + 1e-4 * t * gtd) {
        x.set(trial);
        g.set(gTrial);
        loss = f;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) return { params: x, loss, iterations, evaluations, maxDamping, reason: 'no-progress' };
  }
  const reason = maxAbs(g) <= toleranceGrad ? 'gradient-tolerance' : 'max-iterations';
  return { params: x, loss, iterations, evaluations, maxDamping, reason };
}
