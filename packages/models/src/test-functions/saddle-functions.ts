import { defineTestFunction, type TestFunction } from './define-test-function.js';

/**
 * The saddle f = x^2 - y^2, grad = (2x, -2y): a saddle point at the origin and no minimum (f is
 * unbounded below along y). Descent started exactly on the x axis converges to the saddle; any
 * y offset grows geometrically and escapes.
 */
export function saddle(): TestFunction {
  return defineTestFunction({
    name: 'saddle',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      if (g) {
        g[0] = 2 * x;
        g[1] = -2 * y;
      }
      return x * x - y * y;
    },
    minima: [],
    saddles: [{ point: [0, 0], value: 0, kind: 'saddle' }],
    domain: [
      [-2, 2],
      [-2, 2],
    ],
    start: [1.5, 1e-3],
  });
}

/**
 * The monkey saddle f = x^3 - 3 x y^2, grad = (3x^2 - 3y^2, -6xy): a degenerate saddle at the
 * origin (the Hessian vanishes there, so second-order tests cannot classify it) with three
 * descending valleys; no minimum.
 */
export function monkeySaddle(): TestFunction {
  return defineTestFunction({
    name: 'monkey-saddle',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      if (g) {
        g[0] = 3 * x * x - 3 * y * y;
        g[1] = -6 * x * y;
      }
      return x * x * x - 3 * x * y * y;
    },
    minima: [],
    saddles: [{ point: [0, 0], value: 0, kind: 'saddle' }],
    domain: [
      [-1.5, 1.5],
      [-1.5, 1.5],
    ],
    start: [1, 0.2],
  });
}
