import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { sgd } from './sgd.js';

const START = [1.5, -0.5, 0.05];
// A beta1 schedule as PyTorch's one-cycle policy cycles betas[0]: 0.95 falling by 0.05 a step.
const beta1 = (step: number) => 0.95 - 0.05 * step;

describe('beta1 and momentum following a schedule', () => {
  it('adam: three steps by hand, bias correction 1 - b1_t^t with the current beta1 (as PyTorch)', () => {
    const path = runSteps(adam({ learningRate: 0.1, beta1 }), sumOfSquares(3), START, 3);
    for (let c = 0; c < 3; c++) {
      let x = START[c]!;
      let m = 0;
      let v = 0;
      for (let t = 1; t <= 3; t++) {
        const b1 = 0.95 - 0.05 * (t - 1);
        const g = 2 * x;
        m = b1 * m + (1 - b1) * g;
        v = 0.999 * v + 0.001 * g * g;
        x = x - (0.1 * (m / (1 - b1 ** t))) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
        expect(relativeError(path[t - 1]![c]!, x), `coordinate ${c} step ${t}`).toBeLessThan(1e-12);
      }
    }
  });

  it('reports the scheduled beta1 in the step context and describes the schedule', () => {
    const o = adamw({ beta1 });
    const state = o.init(Float64Array.of(1));
    const current: Record<string, number> = {};
    o.update(Float64Array.of(1), state, Float64Array.of(1), { step: 2, loss: 0, overrides: {}, current });
    expect(current.beta1).toBeCloseTo(0.85, 15);
    expect(o.describe().beta1).toBe('schedule');
  });

  it('refuses a scheduled beta1 that leaves [0, 1) when it is evaluated', () => {
    const o = adam({ beta1: () => 1 });
    const state = o.init(Float64Array.of(1));
    expect(() =>
      o.update(Float64Array.of(1), state, Float64Array.of(1), {
        step: 4,
        loss: 0,
        overrides: {},
        current: {},
      }),
    ).toThrow('scaleByAdam: live beta1 must be in [0, 1), got 1 (set at step 4)');
  });

  it('sgd: momentum as a schedule, no cast (b_t = mu_t b_{t-1} + g_t)', () => {
    const mu = (step: number) => 0.5 + 0.1 * step;
    const path = runSteps(sgd({ learningRate: 0.1, momentum: mu }), sumOfSquares(1), [1.5], 3);
    let x = 1.5;
    let b = 0;
    for (let t = 0; t < 3; t++) {
      const g = 2 * x;
      b = t === 0 ? g : mu(t) * b + g;
      x = x - 0.1 * b;
      expect(relativeError(path[t]![0]!, x), `step ${t + 1}`).toBeLessThan(1e-12);
    }
  });
});
