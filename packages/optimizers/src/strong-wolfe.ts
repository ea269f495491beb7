/** Buffers a strong-Wolfe line search reuses from one call to the next. */
export interface LineSearchBuffers {
  previous: Float64Array;
  trial: Float64Array;
  low: Float64Array;
  high: Float64Array;
}

export function lineSearchBuffers(n: number): LineSearchBuffers {
  return {
    previous: new Float64Array(n),
    trial: new Float64Array(n),
    low: new Float64Array(n),
    high: new Float64Array(n),
  };
}

/** What {@link strongWolfe} found: the step, its loss, and the evaluations it spent. */
export interface LineSearchResult {
  step: number;
  loss: number;
  evaluations: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to
 * [lo, hi] (the midpoint when the cubic has no minimum): PyTorch's `_cubic_interpolate`, itself
 * from Torch7's polyinterp.lua.
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  lo = Math.min(x1, x2),
  hi = Math.max(x1, x2),
): number {
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/**
 * Line search for a step t along d satisfying the strong Wolfe conditions (Nocedal & Wright,
 * "Numerical Optimization", 2006, Algorithms 3.5 and 3.6: bracketing, then zoom with cubic
 * interpolation), as PyTorch's `_strong_wolfe` with c1 = 1e-4, c2 = 0.9 and at most 25
 * evaluations:
 *
 *   f(x + t d) <= f(x) + c1 t g^T d   and   |g(x + t d)^T d| <= c2 |g^T d|.
 *
 * `phi(t, grad)` evaluates the loss at x + t d and writes its gradient. `f`, `g`, `gtd` are the
 * loss, gradient and directional derivative at t = 0; the gradient at the chosen step is written
 * into `gradOut`.
 */
export function strongWolfe(
  phi: (t: number, grad: Float64Array) => number,
  f: number,
  g: Float64Array,
  gtd: number,
  initialStep: number,
  direction: Float64Array,
  toleranceChange: number,
  buffers: LineSearchBuffers,
  gradOut: Float64Array,
): LineSearchResult {
  const c1 = 1e-4;
  const c2 = 0.9;
  const maxLs = 25;
  let dNorm = 0;
  for (let i = 0; i < direction.length; i++) dNorm = Math.max(dNorm, Math.abs(direction[i]!));
  const gPrev = buffers.previous;
  let gNew = buffers.trial;
  let t = initialStep;
  let fNew = phi(t, gNew);
  let evaluations = 1;
  let gtdNew = dot(gNew, direction);
  let tPrev = 0;
  let fPrev = f;
  let gtdPrev = gtd;
  gPrev.set(g);
  let done = false;
  let lsIter = 0;
  // The bracket: steps, losses, directional derivatives, gradients (bg[k] is a buffer).
  const bt = [0, 0];
  const bf = [0, 0];
  const bgtd = [0, 0];
  const bg = [buffers.low, buffers.high];
  const setBracket = (
    t0: number,
    f0: number,
    gtd0: number,
    g0: Float64Array,
    t1: number,
    f1: number,
    gtd1: number,
    g1: Float64Array,
  ) => {
    bt[0] = t0;
    bf[0] = f0;
    bgtd[0] = gtd0;
    bg[0]!.set(g0);
    bt[1] = t1;
    bf[1] = f1;
    bgtd[1] = gtd1;
    bg[1]!.set(g1);
  };
  let bracketed = false;
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      setBracket(tPrev, fPrev, gtdPrev, gPrev, t, fNew, gtdNew, gNew);
      bracketed = true;
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      // A one-point bracket: the step already satisfies both conditions.
      bt[0] = t;
      bf[0] = fNew;
      bg[0]!.set(gNew);
      bt[1] = t;
      bf[1] = fNew;
      done = true;
      bracketed = true;
      break;
    }
    if (gtdNew >= 0) {
      setBracket(tPrev, fPrev, gtdPrev, gPrev, t, fNew, gtdNew, gNew);
      bracketed = true;
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
    tPrev = tmp;
    fPrev = fNew;
    gPrev.set(gNew);
    gtdPrev = gtdNew;
    fNew = phi(t, gNew);
    evaluations++;
    gtdNew = dot(gNew, direction);
    lsIter++;
  }
  if (!bracketed) {
    // Ran out of evaluations while extrapolating: bracket [0, t] (PyTorch leaves the slopes of
    // this bracket undefined; those at its ends are used here).
    setBracket(0, f, gtd, g, t, fNew, gtdNew, gNew);
  }
  let insufficientProgress = false;
  let low = bf[0]! <= bf[1]! ? 0 : 1;
  let high = 1 - low;
  while (!done && lsIter < maxLs) {
    if (Math.abs(bt[1]! - bt[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bt[0]!, bf[0]!, bgtd[0]!, bt[1]!, bf[1]!, bgtd[1]!);
    const bMax = Math.max(bt[0]!, bt[1]!);
    const bMin = Math.min(bt[0]!, bt[1]!);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      // Too close to an end: move a tenth of the bracket inside when this happens twice running
      // or the trial is at (or past) an end.
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }
    gNew = buffers.trial;
    fNew = phi(t, gNew);
    evaluations++;
    gtdNew = dot(gNew, direction);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bf[low]!) {
      bt[high] = t;
      bf[high] = fNew;
      bg[high]!.set(gNew);
      bgtd[high] = gtdNew;
      low = bf[0]! <= bf[1]! ? 0 : 1;
      high = 1 - low;
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bt[high]! - bt[low]!) >= 0) {
        bt[high] = bt[low]!;
        bf[high] = bf[low]!;
        bg[high]!.set(bg[low]!);
        bgtd[high] = bgtd[low]!;
      }
      bt[low] = t;
      bf[low] = fNew;
      bg[low]!.set(gNew);
      bgtd[low] = gtdNew;
    }
  }
  gradOut.set(bg[low]!);
  return { step: bt[low]!, loss: bf[low]!, evaluations };
}
