import { checkDimension, defineTestFunction, type TestFunction } from './define-test-function.js';

/**
 * Rastrigin's function: f = A n + sum_i (x_i^2 - A cos(2 pi x_i)), default A = 10;
 * grad_i = 2 x_i + 2 pi A sin(2 pi x_i). Global minimum 0 at the origin amid a regular lattice of
 * local minima near the integer points.
 */
export function rastrigin(
  options: { readonly dimension?: number; readonly amplitude?: number } = {},
): TestFunction {
  const dimension = options.dimension ?? 2;
  checkDimension('rastrigin', dimension);
  const A = options.amplitude ?? 10;
  const w = 2 * Math.PI;
  return defineTestFunction({
    name: 'rastrigin',
    dimension,
    evaluate(p, g) {
      let f = A * dimension;
      for (let i = 0; i < dimension; i++) {
        const x = p[i]!;
        f += x * x - A * Math.cos(w * x);
        if (g) g[i] = 2 * x + w * A * Math.sin(w * x);
      }
      return f;
    },
    minima: [{ point: new Array<number>(dimension).fill(0), value: 0, kind: 'global-minimum' }],
    domain: new Array(dimension).fill([-5.12, 5.12] as const),
    start: new Array<number>(dimension).fill(3.2),
    parameters: { amplitude: A },
  });
}

/**
 * Ackley's function (Ackley, 1987), n-dimensional with a = 20, b = 0.2, c = 2 pi:
 * f = -a exp(-b r) - exp(m) + a + e with r = sqrt((1/n) sum x_i^2), m = (1/n) sum cos(c x_i);
 * grad_i = a b exp(-b r) x_i / (n r) + exp(m) c sin(c x_i) / n. Global minimum 0 at the origin (a
 * cone tip where the gradient is taken as 0), in a nearly flat outer region full of local minima.
 */
export function ackley(options: { readonly dimension?: number } = {}): TestFunction {
  const dimension = options.dimension ?? 2;
  checkDimension('ackley', dimension);
  const a = 20;
  const b = 0.2;
  const c = 2 * Math.PI;
  return defineTestFunction({
    name: 'ackley',
    dimension,
    evaluate(p, g) {
      let ss = 0;
      let cs = 0;
      for (let i = 0; i < dimension; i++) {
        ss += p[i]! * p[i]!;
        cs += Math.cos(c * p[i]!);
      }
      const r = Math.sqrt(ss / dimension);
      const m = cs / dimension;
      const e1 = Math.exp(-b * r);
      const e2 = Math.exp(m);
      if (g) {
        for (let i = 0; i < dimension; i++) {
          const radial = r > 0 ? (a * b * e1 * p[i]!) / (dimension * r) : 0;
          g[i] = radial + (e2 * c * Math.sin(c * p[i]!)) / dimension;
        }
      }
      return -a * e1 - e2 + a + Math.E;
    },
    minima: [{ point: new Array<number>(dimension).fill(0), value: 0, kind: 'global-minimum' }],
    domain: new Array(dimension).fill([-5, 5] as const),
    start: new Array<number>(dimension).fill(2.5),
  });
}

/**
 * Six-hump camel: f = (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2;
 * grad = (8x - 8.4x^3 + 2x^5 + y, x - 8y + 16y^3). Two global minima (-1.0316) and four local
 * ones; critical points refined by Newton's method.
 */
export function sixHumpCamel(): TestFunction {
  return defineTestFunction({
    name: 'six-hump-camel',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      const x2 = x * x;
      const y2 = y * y;
      if (g) {
        g[0] = 8 * x - 8.4 * x2 * x + 2 * x2 * x2 * x + y;
        g[1] = x - 8 * y + 16 * y2 * y;
      }
      return (4 - 2.1 * x2 + (x2 * x2) / 3) * x2 + x * y + (-4 + 4 * y2) * y2;
    },
    minima: [
      {
        point: [0.08984201310031807, -0.7126564030207396],
        value: -1.0316284534898774,
        kind: 'global-minimum',
      },
      {
        point: [-0.08984201310031807, 0.7126564030207396],
        value: -1.0316284534898774,
        kind: 'global-minimum',
      },
      { point: [-1.7036067149699807, 0.7960835686726251], value: -0.2154638243837177, kind: 'local-minimum' },
      { point: [1.7036067149699807, -0.7960835686726251], value: -0.2154638243837177, kind: 'local-minimum' },
      { point: [1.6071047529201978, 0.5686514548841313], value: 2.104250310311258, kind: 'local-minimum' },
      { point: [-1.6071047529201978, -0.5686514548841313], value: 2.104250310311258, kind: 'local-minimum' },
    ],
    domain: [
      [-3, 3],
      [-2, 2],
    ],
    start: [-1.5, 1],
  });
}
