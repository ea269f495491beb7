// Small objectives and a minimal driver for the tests (written here: @downhill/models is separate).
import type { GradientTransformation, Objective, UpdateContext } from '@downhill/core';

/** f(x) = sum x_i^2, gradient 2x. */
export function sumOfSquares(dimension: number): Objective<void> {
  return {
    dimension,
    loss(x, _batch, grad) {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        f += x[i]! * x[i]!;
        if (grad) grad[i] = 2 * x[i]!;
      }
      return f;
    },
  };
}

/** f(x) = 1/2 (x - c)^T A (x - c) with A symmetric positive definite (row-major), gradient A (x - c). */
export function quadratic(a: Float64Array, center: Float64Array): Objective<void> {
  const n = center.length;
  const diff = new Float64Array(n);
  return {
    dimension: n,
    loss(x, _batch, grad) {
      for (let i = 0; i < n; i++) diff[i] = x[i]! - center[i]!;
      let f = 0;
      for (let i = 0; i < n; i++) {
        let ai = 0;
        for (let j = 0; j < n; j++) ai += a[i * n + j]! * diff[j]!;
        f += 0.5 * diff[i]! * ai;
        if (grad) grad[i] = ai;
      }
      return f;
    },
  };
}

/** Rosenbrock (1960): f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
export const rosenbrock: Objective<void> = {
  dimension: 2,
  loss(p, _batch, grad) {
    const x = p[0]!;
    const y = p[1]!;
    const r = y - x * x;
    if (grad) {
      grad[0] = -2 * (1 - x) - 400 * x * r;
      grad[1] = 200 * r;
    }
    return (1 - x) ** 2 + 100 * r * r;
  },
};

/**
 * Runs `steps` updates the way core's run loop does (copy the gradient into `updates`, update,
 * `params += updates`) and returns the parameters after each step.
 */
export function runSteps(
  optimizer: GradientTransformation<unknown>,
  objective: Objective<void>,
  start: readonly number[],
  steps: number,
): number[][] {
  const params = Float64Array.from(start);
  const grad = new Float64Array(params.length);
  const updates = new Float64Array(params.length);
  const state = optimizer.init(params);
  const context: UpdateContext & { step: number; loss: number } = {
    step: 0,
    loss: 0,
    overrides: {},
    current: {},
  };
  const path: number[][] = [];
  for (let t = 0; t < steps; t++) {
    context.loss = objective.loss(params, undefined, grad);
    context.step = t;
    updates.set(grad);
    optimizer.update(updates, state, params, context);
    for (let i = 0; i < params.length; i++) params[i]! += updates[i]!;
    path.push(Array.from(params));
  }
  return path;
}

/** |actual - expected| <= rel * |expected| (+ a tiny absolute floor for exact zeros). */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}
