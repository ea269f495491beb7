import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { yogi } from './yogi.js';

const START = [1.5, -0.5, 0.05];

describe('yogi, against the paper (Zaheer et al., 2018, Algorithm 2) and Optax by hand', () => {
  for (const biasCorrection of [true, false]) {
    it(`first four steps on sum x^2, Optax defaults (lr 0.01, eps 1e-3, moments from 1e-6), bias correction ${biasCorrection}`, () => {
      const path = runSteps(yogi({ biasCorrection }), sumOfSquares(3), START, 4);
      for (let c = 0; c < START.length; c++) {
        let x = START[c]!;
        let m = 1e-6;
        let v = 1e-6;
        for (let t = 1; t <= 4; t++) {
          const g = 2 * x;
          m = 0.9 * m + 0.1 * g;
          v = v - 0.001 * Math.sign(v - g * g) * g * g;
          const mHat = biasCorrection ? m / (1 - 0.9 ** t) : m;
          const vHat = biasCorrection ? v / (1 - 0.999 ** t) : v;
          x = x - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-3);
          expect(relativeError(path[t - 1]![c]!, x), `coordinate ${c} step ${t}`).toBeLessThan(1e-12);
        }
      }
    });
  }

  it('v grows additively by at most (1 - b2) g^2 (step 1 from x = 1.5: v = 1e-6 + 0.009)', () => {
    // g = 3, m = 0.9e-6 + 0.3, v = 1e-6 + 0.001 * 9; paper form: x1 = 1.5 - 0.01 m / (sqrt(v) + 1e-3).
    const m = 0.9e-6 + 0.3;
    const v = 1e-6 + 0.009;
    const path = runSteps(yogi({ biasCorrection: false }), sumOfSquares(1), [1.5], 1);
    expect(path[0]![0]).toBeCloseTo(1.5 - (0.01 * m) / (Math.sqrt(v) + 1e-3), 14);
  });

  it('shrinks v when g^2 < v (the sign flips): beta2 0.5, the gradient falls from 4 to 0.2', () => {
    const o = yogi({ learningRate: 0, beta2: 0.5 });
    const params = Float64Array.of(2);
    const state = o.init(params) as [{ secondMoment: Float64Array }, unknown];
    const ctx = { step: 0, loss: 0, overrides: {}, current: {} };
    o.update(Float64Array.of(4), state, params, ctx);
    expect(state[0].secondMoment[0]).toBeCloseTo(1e-6 + 8, 12);
    o.update(Float64Array.of(0.2), state, params, { ...ctx, step: 1 });
    // v > g^2 = 0.04: v <- v - 0.5 * 0.04.
    expect(state[0].secondMoment[0]).toBeCloseTo(1e-6 + 8 - 0.02, 12);
  });
});
