import { checkDimension, defineTestFunction, type TestFunction } from './define-test-function.js';

export interface BowlOptions {
  readonly dimension?: number;
  /**
   * Curvature per coordinate (default all 1): f = sum_i s_i x_i^2. Unequal scales make an
   * elongated bowl whose condition number max(s) / min(s) slows plain gradient descent.
   */
  readonly scales?: readonly number[];
}

/** Convex quadratic bowl f(x) = sum_i s_i x_i^2, grad_i = 2 s_i x_i; global minimum 0 at the origin. */
export function bowl(options: BowlOptions = {}): TestFunction {
  const dimension = options.scales?.length ?? options.dimension ?? 2;
  checkDimension('bowl', dimension);
  const scales = options.scales ?? new Array<number>(dimension).fill(1);
  if (scales.length !== dimension) {
    throw new RangeError(`bowl: scales has ${scales.length} entries, dimension is ${dimension}`);
  }
  scales.forEach((s, i) => {
    if (!(s > 0)) throw new RangeError(`bowl: scales[${i}] must be > 0, got ${s}`);
  });
  return defineTestFunction({
    name: 'bowl',
    dimension,
    evaluate(p, g) {
      let f = 0;
      for (let i = 0; i < dimension; i++) {
        f += scales[i]! * p[i]! * p[i]!;
        if (g) g[i] = 2 * scales[i]! * p[i]!;
      }
      return f;
    },
    minima: [{ point: new Array<number>(dimension).fill(0), value: 0, kind: 'global-minimum' }],
    domain: new Array(dimension).fill([-2, 2] as const),
    start: new Array<number>(dimension).fill(1.5),
    parameters: { scales: [...scales] },
  });
}

/**
 * Rosenbrock's banana (Rosenbrock, 1960): f = (a - x)^2 + b (y - x^2)^2, default a = 1, b = 100.
 * grad = (-2 (a - x) - 4 b x (y - x^2), 2 b (y - x^2)). Global minimum 0 at (a, a^2), at the end of
 * a long curved flat valley that plain gradient descent crawls along.
 */
export function rosenbrock(options: { readonly a?: number; readonly b?: number } = {}): TestFunction {
  const a = options.a ?? 1;
  const b = options.b ?? 100;
  return defineTestFunction({
    name: 'rosenbrock',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      const u = a - x;
      const v = y - x * x;
      if (g) {
        g[0] = -2 * u - 4 * b * x * v;
        g[1] = 2 * b * v;
      }
      return u * u + b * v * v;
    },
    minima: [{ point: [a, a * a], value: 0, kind: 'global-minimum' }],
    domain: [
      [-2, 2],
      [-1, 3],
    ],
    start: [-1.5, 2],
    parameters: { a, b },
  });
}

/**
 * Himmelblau's function (Himmelblau, 1972): f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2, four global
 * minima of value 0: (3, 2) exactly and three irrational ones; a local maximum near (-0.27, -0.92).
 */
export function himmelblau(): TestFunction {
  return defineTestFunction({
    name: 'himmelblau',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      const u = x * x + y - 11;
      const v = x + y * y - 7;
      if (g) {
        g[0] = 4 * x * u + 2 * v;
        g[1] = 2 * u + 4 * y * v;
      }
      return u * u + v * v;
    },
    minima: [
      { point: [3, 2], value: 0, kind: 'global-minimum' },
      { point: [-2.805118086952745, 3.131312518250573], value: 0, kind: 'global-minimum' },
      { point: [-3.779310253377747, -3.28318599128617], value: 0, kind: 'global-minimum' },
      { point: [3.584428340330492, -1.848126526964404], value: 0, kind: 'global-minimum' },
    ],
    domain: [
      [-5, 5],
      [-5, 5],
    ],
    start: [0, 0],
  });
}

/**
 * Beale's function: f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2; global
 * minimum 0 at (3, 0.5), with sharp ridges at the corners of [-4.5, 4.5]^2.
 */
export function beale(): TestFunction {
  return defineTestFunction({
    name: 'beale',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      const y2 = y * y;
      const y3 = y2 * y;
      const t1 = 1.5 - x + x * y;
      const t2 = 2.25 - x + x * y2;
      const t3 = 2.625 - x + x * y3;
      if (g) {
        g[0] = 2 * t1 * (y - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1);
        g[1] = 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y2;
      }
      return t1 * t1 + t2 * t2 + t3 * t3;
    },
    minima: [{ point: [3, 0.5], value: 0, kind: 'global-minimum' }],
    domain: [
      [-4.5, 4.5],
      [-4.5, 4.5],
    ],
    start: [1, 1.5],
  });
}

/** Booth's function: f = (x + 2y - 7)^2 + (2x + y - 5)^2, a convex quadratic; minimum 0 at (1, 3). */
export function booth(): TestFunction {
  return defineTestFunction({
    name: 'booth',
    dimension: 2,
    evaluate(p, g) {
      const u = p[0]! + 2 * p[1]! - 7;
      const v = 2 * p[0]! + p[1]! - 5;
      if (g) {
        g[0] = 2 * u + 4 * v;
        g[1] = 4 * u + 2 * v;
      }
      return u * u + v * v;
    },
    minima: [{ point: [1, 3], value: 0, kind: 'global-minimum' }],
    domain: [
      [-10, 10],
      [-10, 10],
    ],
    start: [-8, 8],
  });
}
