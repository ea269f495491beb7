import { createRng } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGradient } from '../objectives/check-gradient.js';
import { beale, booth, bowl, himmelblau, rosenbrock } from './classic-functions.js';
import type { TestFunction } from './define-test-function.js';
import { doubleWell } from './double-well.js';
import { ackley, rastrigin, sixHumpCamel } from './multimodal-functions.js';
import { monkeySaddle, saddle } from './saddle-functions.js';

const all: TestFunction[] = [
  bowl(),
  bowl({ scales: [1, 10, 100] }),
  rosenbrock(),
  himmelblau(),
  beale(),
  booth(),
  rastrigin(),
  rastrigin({ dimension: 5 }),
  ackley(),
  ackley({ dimension: 3 }),
  sixHumpCamel(),
  saddle(),
  monkeySaddle(),
  doubleWell(),
];

/** Plain gradient descent x <- x - step * grad f(x), written here so the test depends on no optimizer. */
function descend(f: TestFunction, start: ArrayLike<number>, step: number, iterations: number): Float64Array {
  const x = Float64Array.from(start);
  const g = new Float64Array(f.dimension);
  for (let i = 0; i < iterations; i++) {
    f.loss(x, undefined, g);
    for (let k = 0; k < x.length; k++) x[k]! -= step * g[k]!;
  }
  return x;
}

describe('test functions', () => {
  it('gradients pass checkGradient at random points of their domain (property)', () => {
    for (const f of all) {
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const rng = createRng(seed);
          const p = Float64Array.from(f.domain, ([lo, hi]) => rng.uniform(lo, hi));
          // Smooth but strongly curved (Rastrigin's third derivative reaches (2 pi)^3 A ~ 2500):
          // the fourth-order stencil keeps the truncation error far below 1e-6.
          const check = checkGradient(f, p, undefined, { stencil: 'five-point' });
          expect(check.maxRelativeError, `${f.name} at ${[...p]}`).toBeLessThanOrEqual(1e-6);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('published values at published minima', () => {
    expect(rosenbrock().loss(new Float64Array([1, 1]))).toBe(0);
    expect(rosenbrock().loss(new Float64Array([0, 0]))).toBe(1);
    expect(beale().loss(new Float64Array([3, 0.5]))).toBe(0);
    expect(booth().loss(new Float64Array([1, 3]))).toBe(0);
    expect(himmelblau().loss(new Float64Array([3, 2]))).toBe(0);
    expect(rastrigin().loss(new Float64Array([0, 0]))).toBe(0);
    // Ackley at the origin: -20 - e + 20 + e = 0 up to rounding.
    expect(Math.abs(ackley().loss(new Float64Array([0, 0])))).toBeLessThan(1e-14);
    // Six-hump camel: the global minimum -1.0316 at (+-0.0898, -+0.7126), as tabulated (4 digits).
    expect(sixHumpCamel().loss(new Float64Array([0.0898, -0.7126]))).toBeCloseTo(-1.0316, 4);
    // Rastrigin at (1, 1): 20 + 2 (1 - 10) = 2.
    expect(rastrigin().loss(new Float64Array([1, 1]))).toBeCloseTo(2, 12);
  });

  it('every listed minimum and saddle is a critical point with the listed value', () => {
    for (const f of all) {
      const g = new Float64Array(f.dimension);
      for (const m of [...f.minima, ...f.saddles]) {
        const value = f.loss(Float64Array.from(m.point), undefined, g);
        expect(value, `${f.name} ${m.point}`).toBeCloseTo(m.value, 10);
        for (const gi of g) expect(Math.abs(gi), `${f.name} gradient at ${m.point}`).toBeLessThan(1e-9);
      }
      const globals = f.minima.filter((m) => m.kind === 'global-minimum');
      for (const m of f.minima) expect(m.value).toBeGreaterThanOrEqual(globals[0]!.value - 1e-12);
    }
  });

  it('himmelblau lists four distinct global minima; the saddles list no minimum', () => {
    expect(himmelblau().minima.filter((m) => m.kind === 'global-minimum')).toHaveLength(4);
    expect(saddle().minima).toHaveLength(0);
    expect(monkeySaddle().saddles[0]!.point).toEqual([0, 0]);
  });

  it('plain gradient descent on Rosenbrock from (-1.5, 2) reaches (1, 1)', () => {
    // Step 1e-3 is just under 2 / (largest Hessian eigenvalue ~1900 at the start).
    const x = descend(rosenbrock(), [-1.5, 2], 1e-3, 60_000);
    expect(x[0]).toBeCloseTo(1, 5);
    expect(x[1]).toBeCloseTo(1, 5);
  });

  it('descent on the saddle x^2 - y^2: stays on the stable axis, escapes from any offset', () => {
    const onAxis = descend(saddle(), [1.5, 0], 0.1, 200);
    expect(Math.abs(onAxis[0]!)).toBeLessThan(1e-12);
    expect(onAxis[1]).toBe(0);
    const offset = descend(saddle(), [1.5, 1e-6], 0.1, 200);
    expect(offset[1]!).toBeGreaterThan(1e3);
  });

  it('double well: descent from the local basin stays local', () => {
    const f = doubleWell();
    const [global, local] = f.minima;
    expect(global!.kind).toBe('global-minimum');
    expect(local!.kind).toBe('local-minimum');
    expect(global!.value).toBeLessThan(local!.value);
    const x = descend(f, [1.5, 1], 0.05, 5000);
    expect(x[0]).toBeCloseTo(local!.point[0]!, 8);
    expect(x[1]).toBeCloseTo(0, 8);
  });

  it('double well: random restarts over the domain reach the global minimum', () => {
    const f = doubleWell();
    const global = f.minima[0]!;
    const rng = createRng(7);
    let best = Number.POSITIVE_INFINITY;
    let bestPoint: Float64Array | undefined;
    for (let restart = 0; restart < 8; restart++) {
      const start = f.domain.map(([lo, hi]) => rng.uniform(lo, hi));
      const x = descend(f, start, 0.05, 3000);
      const value = f.loss(x);
      if (value < best) {
        best = value;
        bestPoint = x;
      }
    }
    expect(best).toBeCloseTo(global.value, 10);
    expect(bestPoint![0]).toBeCloseTo(global.point[0]!, 6);
  });

  it('double well: annealed Gaussian noise (Langevin descent) from the local minimum reaches the global one', () => {
    const f = doubleWell();
    const [global, local] = f.minima;
    const g = new Float64Array(2);
    const step = 0.02;
    const steps = 4000;
    let reached = 0;
    const seeds = 20;
    for (let seed = 0; seed < seeds; seed++) {
      const rng = createRng(seed);
      const x = Float64Array.from(local!.point);
      // x <- x - step grad f + sqrt(2 step T) xi, temperature T annealed linearly from 0.5 to 0.
      for (let i = 0; i < steps; i++) {
        const temperature = 0.5 * (1 - i / steps);
        f.loss(x, undefined, g);
        for (let k = 0; k < 2; k++) x[k]! += -step * g[k]! + Math.sqrt(2 * step * temperature) * rng.normal();
      }
      const end = descend(f, x, 0.05, 2000);
      if (Math.abs(end[0]! - global!.point[0]!) < 1e-6) reached++;
    }
    // Most noisy runs cross the barrier and settle in the deeper well (none would without noise).
    expect(reached).toBeGreaterThanOrEqual(15);
  });

  it('bad input is named', () => {
    expect(() => rosenbrock().loss(new Float64Array(3))).toThrow(
      /rosenbrock: params has length 3, expected 2/,
    );
    expect(() => doubleWell({ tilt: 2 })).toThrow(/tilt must be in/);
    expect(() => bowl({ scales: [1, -1] })).toThrow(/scales\[1\] must be > 0/);
  });
});
