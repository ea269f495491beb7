import { type EndEvent, type Objective, type StepEvent, type TrainEvent, train } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { sumOfSquares } from '../test/objectives.js';
import { sam } from './sam.js';
import { sgd } from './sgd.js';

/**
 * A two-layer linear network with one unit fitting y = 1 at x = 1: f(a, b) = (ab - 1)^2 / 2. Its
 * minima are the hyperbola ab = 1, where the Hessian [[b^2, 1], [1, a^2]] has largest eigenvalue
 * a^2 + b^2: from sharp (unbalanced layers) down to 2 at a = b = 1. Gradient descent keeps
 * a^2 - b^2 nearly constant, so from an unbalanced start it stops at a sharp minimum.
 */
const twoLayer: Objective<void> = {
  dimension: 2,
  loss(p, _b, g) {
    const [a, b] = [p[0]!, p[1]!];
    const r = a * b - 1;
    if (g) {
      g[0] = r * b;
      g[1] = r * a;
    }
    return 0.5 * r * r;
  },
};

/** Largest Hessian eigenvalue by power iteration on central-difference Hessian-vector products. */
function largestHessianEigenvalue(f: Objective<void>, at: Float64Array): number {
  const n = at.length;
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let lambda = 0;
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  const h = 1e-5;
  for (let k = 0; k < 100; k++) {
    f.loss(
      at.map((x, i) => x + h * v[i]!),
      undefined,
      gp,
    );
    f.loss(
      at.map((x, i) => x - h * v[i]!),
      undefined,
      gm,
    );
    const hv = gp.map((g, i) => (g - gm[i]!) / (2 * h));
    lambda = Math.hypot(...hv);
    v = hv.map((x) => x / lambda);
  }
  return lambda;
}

function run(optimizer: ReturnType<typeof sgd> | ReturnType<typeof sam>, steps: number): EndEvent {
  let end: EndEvent | undefined;
  train({
    objective: twoLayer,
    optimizer,
    params: [0.2, 3],
    steps,
    mode: 'sync',
    returnState: true,
  }).subscribe((e: TrainEvent) => {
    if (e.type === 'end') end = e;
  });
  return end!;
}

describe('sam (Foret et al., 2021)', () => {
  it('first step by hand: the gradient is taken at w + rho g / ||g||', () => {
    // f = sum x^2 at w = (3, 4): g = (6, 8), ||g|| = 10, e = 0.5 (0.6, 0.8) = (0.3, 0.4),
    // g_SAM = 2 (w + e) = (6.6, 8.8); SGD lr 0.1: w <- (3 - 0.66, 4 - 0.88).
    const f = sumOfSquares(2);
    const o = sam(sgd({ learningRate: 0.1 }), { objective: f, rho: 0.5 });
    const params = Float64Array.of(3, 4);
    const state = o.init(params);
    const g = new Float64Array(2);
    f.loss(params, undefined, g);
    o.update(g, state, params, { step: 0, loss: 0, overrides: {}, current: {} });
    expect(g[0]).toBeCloseTo(-0.66, 14);
    expect(g[1]).toBeCloseTo(-0.88, 14);
    expect(state.evaluations).toBe(1);
  });

  it('from the same start SAM ends at a flatter minimum than SGD (train(), full batch; power iteration)', () => {
    const plain = run(sgd({ learningRate: 0.05 }), 3000);
    const flat = run(sam(sgd({ learningRate: 0.05 }), { objective: twoLayer, rho: 0.1 }), 3000);
    const sharpness = largestHessianEigenvalue(twoLayer, Float64Array.from(plain.params));
    const samSharpness = largestHessianEigenvalue(twoLayer, Float64Array.from(flat.params));
    const loss = (p: number[]) => twoLayer.loss(Float64Array.from(p), undefined);
    console.log(
      `two-layer linear net from (0.2, 3): SGD ends at (${plain.params.map((v) => v.toFixed(4))}), loss ${loss(plain.params).toExponential(2)}, ` +
        `largest Hessian eigenvalue ${sharpness.toFixed(3)}; SAM (rho 0.1) at (${flat.params.map((v) => v.toFixed(4))}), ` +
        `loss ${loss(flat.params).toExponential(2)}, largest Hessian eigenvalue ${samSharpness.toFixed(3)}`,
    );
    // Oracle: on ab = 1 the largest eigenvalue is a^2 + b^2.
    expect(sharpness).toBeCloseTo(plain.params[0]! ** 2 + plain.params[1]! ** 2, 3);
    expect(sharpness).toBeGreaterThan(9);
    expect(samSharpness).toBeLessThan(2.1);
    expect(loss(flat.params)).toBeLessThan(1e-4);
  });

  it('refuses a negative rho and an objective without a loss', () => {
    expect(() => sam(sgd(), { objective: twoLayer, rho: -1 })).toThrow(
      'sam: rho must be a finite number >= 0, got -1',
    );
    expect(() => sam(sgd(), { objective: {} as Objective<void> })).toThrow(
      'sam: objective must be an Objective',
    );
  });

  it("inside train() the second gradient is the run loop's closure on the step's own mini-batch", () => {
    // f_c(x) = (x - c)^2 with the batch c = 1, then c = 3; rho 0.5, SGD lr 0.1, from x = 0:
    // c = 1: g = -2, e = 0.5 g / |g| = -0.5, g_SAM = 2 (-0.5 - 1) = -3, x = 0.3;
    // c = 3: g = 2 (0.3 - 3) = -5.4, e = -0.5, g_SAM = 2 (0.3 - 0.5 - 3) = -6.4, x = 0.94.
    const shifted: Objective<number> = {
      dimension: 1,
      loss(p, c, g) {
        if (g) g[0] = 2 * (p[0]! - c);
        return (p[0]! - c) ** 2;
      },
    };
    const steps: StepEvent[] = [];
    train({
      objective: shifted,
      optimizer: sam(sgd({ learningRate: 0.1 }), { rho: 0.5 }),
      params: [0],
      loader: { batchesPerEpoch: 2, samples: 2, batchSize: 1, epoch: () => [1, 3] },
      epochs: 1,
      mode: 'sync',
      recordParams: true,
    }).subscribe((e) => {
      if (e.type === 'step') steps.push(e);
    });
    expect(steps.map((s) => s.params![0])).toEqual([expect.closeTo(0.3, 14), expect.closeTo(0.94, 14)]);
    expect(steps.map((s) => s.evaluations)).toEqual([2, 2]);
  });

  it('driven by hand without an objective, it says how to give it one', () => {
    const o = sam(sgd({ learningRate: 0.1 }));
    const params = Float64Array.of(1);
    expect(() =>
      o.update(Float64Array.of(2), o.init(params), params, { step: 0, loss: 0, overrides: {}, current: {} }),
    ).toThrow('sam: no way to evaluate the gradient again: run it in train() or pass options.objective');
  });
});
