import { defineTestFunction, type KnownPoint, type TestFunction } from './define-test-function.js';

/**
 * Real roots of 4x^3 - 4x + tilt = 0 (where d/dx of (x^2 - 1)^2 + tilt x vanishes), ascending, by
 * the trigonometric formula for a depressed cubic t^3 + p t + q = 0 with p = -1, q = tilt / 4:
 * t_k = 2 sqrt(-p/3) cos(acos((3q / 2p) sqrt(-3/p)) / 3 - 2 pi k / 3), k = 0, 1, 2.
 */
function criticalXs(tilt: number): [number, number, number] {
  const p = -1;
  const q = tilt / 4;
  const m = 2 * Math.sqrt(-p / 3);
  const theta = Math.acos(((3 * q) / (2 * p)) * Math.sqrt(-3 / p)) / 3;
  const roots = [0, 1, 2].map((k) => m * Math.cos(theta - (2 * Math.PI * k) / 3)).sort((a, b) => a - b);
  return [roots[0]!, roots[1]!, roots[2]!];
}

/**
 * A tilted double well: f = (x^2 - 1)^2 + tilt * x + y^2, grad = (4x^3 - 4x + tilt, 2y).
 * With 0 < tilt < 8 / (3 sqrt 3) ~ 1.54 there are two minima near x = -1 (global, lower by about
 * 2 * tilt) and x = +1 (local), separated by a saddle near x = tilt / 4. Plain gradient descent
 * started at x > saddle ends in the local minimum and stays there. Strategies that reach the
 * global one: random restarts (run descent from several seeded starts over the domain, keep the
 * best end point) and noise (add Gaussian noise to each step, annealed to zero, as in Langevin
 * dynamics / simulated annealing, so the iterate can hop the barrier while the noise is large).
 */
export function doubleWell(options: { readonly tilt?: number } = {}): TestFunction {
  const tilt = options.tilt ?? 0.3;
  const limit = 8 / (3 * Math.sqrt(3));
  if (!(tilt > 0 && tilt < limit)) {
    throw new RangeError(`doubleWell: tilt must be in (0, ${limit.toFixed(4)}) for two minima, got ${tilt}`);
  }
  const f = (x: number, y: number): number => (x * x - 1) ** 2 + tilt * x + y * y;
  const [left, middle, right] = criticalXs(tilt);
  const minima: KnownPoint[] = [
    { point: [left, 0], value: f(left, 0), kind: 'global-minimum' },
    { point: [right, 0], value: f(right, 0), kind: 'local-minimum' },
  ];
  return defineTestFunction({
    name: 'double-well',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      if (g) {
        g[0] = 4 * x * x * x - 4 * x + tilt;
        g[1] = 2 * y;
      }
      return f(x, y);
    },
    minima,
    saddles: [{ point: [middle, 0], value: f(middle, 0), kind: 'saddle' }],
    domain: [
      [-2, 2],
      [-1.5, 1.5],
    ],
    start: [1.5, 1],
    parameters: { tilt },
  });
}
