import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { adabelief } from './adabelief.js';

const START = [1.5, -0.5, 0.05];

describe('adabelief, against the paper (Zhuang et al., 2020, Algorithm 2) by hand', () => {
  it('first three steps on sum x^2 (lr 0.1, eps 1e-8 so that eps matters, wd 0.01)', () => {
    const path = runSteps(
      adabelief({ learningRate: 0.1, eps: 1e-8, weightDecay: 0.01 }),
      sumOfSquares(3),
      START,
      3,
    );
    for (let c = 0; c < START.length; c++) {
      let x = START[c]!;
      let m = 0;
      let s = 0;
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        m = 0.9 * m + 0.1 * g;
        s = 0.999 * s + 0.001 * (g - m) ** 2 + 1e-8;
        const mHat = m / (1 - 0.9 ** t);
        const sHat = s / (1 - 0.999 ** t);
        x = x - 0.1 * (mHat / (Math.sqrt(sHat) + 1e-8) + 0.01 * x);
        expect(relativeError(path[t - 1]![c]!, x), `coordinate ${c} step ${t}`).toBeLessThan(1e-12);
      }
    }
  });

  it('step 1 by hand from x = 1.5: g = 3, m = 0.3, s = 0.001 * 2.7^2 + 1e-16', () => {
    // m_hat = 3, s_hat = 7.29 + 1e-13, so the step is lr * 3 / 2.7 (the belief in g is low: g
    // differs from its prediction m_1 = 0.3 by 2.7).
    const path = runSteps(adabelief({ learningRate: 0.1 }), sumOfSquares(1), [1.5], 1);
    expect(path[0]![0]).toBeCloseTo(1.5 - (0.1 * 3) / 2.7, 12);
  });

  it('is live-settable in learning rate, betas and weight decay', () => {
    expect(adabelief().settable).toEqual(['beta1', 'beta2', 'weightDecay', 'learningRate']);
  });
});
