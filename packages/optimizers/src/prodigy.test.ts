import { describe, expect, it } from 'vitest';
import { quadratic, relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { prodigy } from './prodigy.js';

const START = [1.5, -0.5, 0.2];

/** Prodigy's Algorithm 3 (Adam version) on sum x^2 with plain arrays, as in the authors' code. */
function byHand(steps: number, o: { lr: number; wd: number; bc: boolean }): number[][] {
  const b1 = 0.9;
  const b2 = 0.999;
  const b3 = Math.sqrt(b2);
  const d0 = 1e-6;
  const p = [...START];
  const p0 = [...START];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const s = [0, 0, 0];
  let d = d0;
  let dMax = d0;
  let r = 0;
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    const g = p.map((x) => 2 * x);
    const bc = o.bc ? Math.sqrt(1 - b2 ** (k + 1)) / (1 - b1 ** (k + 1)) : 1;
    const dlr = d * o.lr * bc;
    r = b3 * r + (d / d0) * dlr * g.reduce((acc, gi, i) => acc + gi * (p0[i]! - p[i]!), 0);
    let sNorm = 0;
    for (let i = 0; i < 3; i++) {
      m[i] = b1 * m[i]! + d * (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + d * d * (1 - b2) * g[i]! ** 2;
      s[i] = b3 * s[i]! + (d / d0) * dlr * g[i]!;
      sNorm += Math.abs(s[i]!);
    }
    const dHat = r / sNorm;
    if (d === d0) d = Math.max(d, dHat);
    dMax = Math.max(dMax, dHat);
    d = dMax; // min(d_max, d growth_rate) with the default growth_rate = inf
    for (let i = 0; i < 3; i++)
      p[i] = p[i]! - o.wd * dlr * p[i]! - (dlr * m[i]!) / (Math.sqrt(v[i]!) + d * 1e-8);
    out.push([...p]);
  }
  return out;
}

describe('prodigy, against Algorithm 3 of Mishchenko & Defazio (2024) by hand', () => {
  it('six steps with the defaults: d stays d0 until the iterate has moved, then grows', () => {
    const path = runSteps(prodigy(), sumOfSquares(3), START, 6);
    const expected = byHand(6, { lr: 1, wd: 0, bc: false });
    for (let t = 0; t < 6; t++)
      for (let i = 0; i < 3; i++)
        expect(relativeError(path[t]![i]!, expected[t]![i]!), `step ${t + 1} p[${i}]`).toBeLessThan(1e-10);
  });

  it('six steps with bias correction, lr 0.5 and decoupled weight decay 0.1', () => {
    const path = runSteps(
      prodigy({ learningRate: 0.5, weightDecay: 0.1, biasCorrection: true }),
      sumOfSquares(3),
      START,
      6,
    );
    const expected = byHand(6, { lr: 0.5, wd: 0.1, bc: true });
    for (let t = 0; t < 6; t++)
      for (let i = 0; i < 3; i++)
        expect(relativeError(path[t]![i]!, expected[t]![i]!), `step ${t + 1} p[${i}]`).toBeLessThan(1e-10);
  });

  it('step 1 is d0 lr (1 - b1) / sqrt(1 - b2) long (no bias correction by default)', () => {
    // g = 3, m = d0 0.1 g, v = d0^2 0.001 g^2, denominator sqrt(v) + d0 eps (d is still d0):
    // the step is d0 lr m / (sqrt(v) + d0 eps), about 3.16e-6.
    const path = runSteps(prodigy(), sumOfSquares(1), [1.5], 1);
    const step = (1e-6 * (1e-6 * 0.3)) / (1e-6 * Math.sqrt(0.001) * 3 + 1e-6 * 1e-8);
    expect(path[0]![0]).toBeCloseTo(1.5 - step, 15);
  });

  it('finds its own step size: reaches the minimiser of a quadratic at learning rate 1 from d0 = 1e-6', () => {
    const f = quadratic(Float64Array.of(4, 1, 0, 1, 3, 0.5, 0, 0.5, 1), Float64Array.of(1, -2, 0.5));
    const path = runSteps(prodigy(), f, [0, 0, 0], 3000);
    const x = path.at(-1)!;
    expect(Math.hypot(x[0]! - 1, x[1]! + 2, x[2]! - 0.5)).toBeLessThan(1e-3);
  });

  it('reports the estimate d as prodigyD and refuses growthRate < 1', () => {
    const o = prodigy();
    const state = o.init(Float64Array.of(1));
    const current: Record<string, number> = {};
    o.update(Float64Array.of(2), state, Float64Array.of(1), { step: 0, loss: 0, overrides: {}, current });
    expect(current.prodigyD).toBe(1e-6);
    expect(() => prodigy({ growthRate: 0.5 })).toThrow('prodigy: growthRate must be >= 1, got 0.5');
  });
});
