// The first three steps of every optimizer on f(x) = sum x_i^2 (gradient g = 2x) from a fixed
// start, against values derived by hand from each published update rule. Each `byHand` function
// is written from the paper / PyTorch documentation for ONE coordinate in plain scalar arithmetic
// (no code of this package), and is applied to every coordinate of the start.
import type { Optimizer } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import {
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  averagedParams,
  lion,
  lookahead,
  nadam,
  parameterEma,
  radam,
  rmsprop,
  rprop,
  sgd,
  stochasticWeightAveraging,
} from '../src/index.js';
import { relativeError, runSteps, sumOfSquares } from './objectives.js';

const START = [1.5, -0.5, 0.05];
const f = sumOfSquares(START.length);

function expectSteps(optimizer: Optimizer, byHand: (x0: number) => number[], steps = 3): void {
  const path = runSteps(optimizer, f, START, steps);
  for (let c = 0; c < START.length; c++) {
    const expected = byHand(START[c]!);
    for (let t = 0; t < steps; t++) {
      const actual = path[t]![c]!;
      const e = expected[t]!;
      if (e === 0) expect(Math.abs(actual)).toBeLessThan(1e-15);
      else
        expect(relativeError(actual, e), `coordinate ${c}, step ${t + 1}: ${actual} vs ${e}`).toBeLessThan(
          1e-9,
        );
    }
  }
}

describe('first three steps on sum(x^2), derived by hand', () => {
  it('sgd: x <- x - lr * 2x = 0.8 x for lr = 0.1', () => {
    // 1.5 -> 1.2 -> 0.96 -> 0.768
    const path = runSteps(sgd({ learningRate: 0.1 }), f, START, 3);
    expect(path.map((p) => p[0])).toEqual([1.2, 0.96, 0.768].map((v) => expect.closeTo(v, 14)));
    expectSteps(sgd({ learningRate: 0.1 }), (x) => [0.8 * x, 0.64 * x, 0.512 * x]);
  });

  it('sgd with momentum 0.9, dampening 0.5 and weight decay 0.1 (PyTorch: b_1 = g_1, undamped)', () => {
    // g = 2x + 0.1x = 2.1x. From 1.5: g1 = 3.15, b1 = 3.15, x1 = 1.5 - 0.315 = 1.185;
    // g2 = 2.4885, b2 = 0.9 * 3.15 + 0.5 * 2.4885 = 4.07925, x2 = 1.185 - 0.407925 = 0.777075;
    // g3 = 1.6318575, b3 = 0.9 * 4.07925 + 0.5 * 1.6318575 = 4.48725375, x3 = 0.328349625.
    const path = runSteps(
      sgd({ learningRate: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.1 }),
      f,
      START,
      3,
    );
    expect(relativeError(path[0]![0]!, 1.185)).toBeLessThan(1e-12);
    expect(relativeError(path[1]![0]!, 0.777075)).toBeLessThan(1e-12);
    expect(relativeError(path[2]![0]!, 0.328349625)).toBeLessThan(1e-12);
    expectSteps(sgd({ learningRate: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.1 }), (x0) => {
      const g1 = 2.1 * x0;
      const b1 = g1;
      const x1 = x0 - 0.1 * b1;
      const g2 = 2.1 * x1;
      const b2 = 0.9 * b1 + 0.5 * g2;
      const x2 = x1 - 0.1 * b2;
      const g3 = 2.1 * x2;
      const b3 = 0.9 * b2 + 0.5 * g3;
      return [x1, x2, x2 - 0.1 * b3];
    });
  });

  it('sgd with Nesterov momentum 0.9 (update g + mu b)', () => {
    // From 1.5: g1 = 3, b1 = 3, u1 = 3 + 2.7 = 5.7, x1 = 0.93; g2 = 1.86, b2 = 4.56, u2 = 5.964,
    // x2 = 0.3336; g3 = 0.6672, b3 = 4.7712, u3 = 4.96128, x3 = -0.162528.
    const path = runSteps(sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), f, START, 3);
    expect(path.map((p) => p[0])).toEqual([0.93, 0.3336, -0.162528].map((v) => expect.closeTo(v, 13)));
    expectSteps(sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), (x0) => {
      const g1 = 2 * x0;
      const b1 = g1;
      const x1 = x0 - 0.1 * (g1 + 0.9 * b1);
      const g2 = 2 * x1;
      const b2 = 0.9 * b1 + g2;
      const x2 = x1 - 0.1 * (g2 + 0.9 * b2);
      const g3 = 2 * x2;
      const b3 = 0.9 * b2 + g3;
      return [x1, x2, x2 - 0.1 * (g3 + 0.9 * b3)];
    });
  });

  it('adagrad (lr 0.5, lrDecay 0.1, initial accumulator 0.1, eps 1e-10)', () => {
    expectSteps(adagrad({ learningRate: 0.5, lrDecay: 0.1, initialAccumulator: 0.1 }), (x0) => {
      let x = x0;
      let sum = 0.1;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        sum = sum + g * g;
        const clr = 0.5 / (1 + (t - 1) * 0.1);
        x = x - (clr * g) / (Math.sqrt(sum) + 1e-10);
        out.push(x);
      }
      return out;
    });
    // Step 1 by hand from 1.5: G = 0.1 + 9 = 9.1, x1 = 1.5 - 0.5 * 3 / sqrt(9.1).
    const path = runSteps(adagrad({ learningRate: 0.5, lrDecay: 0.1, initialAccumulator: 0.1 }), f, START, 1);
    expect(relativeError(path[0]![0]!, 1.5 - 1.5 / Math.sqrt(9.1))).toBeLessThan(1e-9);
  });

  it('rmsprop (lr 0.01, alpha 0.9)', () => {
    expectSteps(rmsprop({ learningRate: 0.01, alpha: 0.9 }), (x0) => {
      let x = x0;
      let s = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        s = 0.9 * s + 0.1 * g * g;
        x = x - (0.01 * g) / (Math.sqrt(s) + 1e-8);
        out.push(x);
      }
      return out;
    });
  });

  it('rmsprop centered with momentum 0.5 and weight decay 0.2', () => {
    expectSteps(
      rmsprop({ learningRate: 0.01, alpha: 0.9, centered: true, momentum: 0.5, weightDecay: 0.2 }),
      (x0) => {
        let x = x0;
        let s = 0;
        let a = 0;
        let b = 0;
        const out: number[] = [];
        for (let t = 1; t <= 3; t++) {
          const g = 2 * x + 0.2 * x;
          s = 0.9 * s + 0.1 * g * g;
          a = 0.9 * a + 0.1 * g;
          b = 0.5 * b + g / (Math.sqrt(s - a * a) + 1e-8);
          x = x - 0.01 * b;
          out.push(x);
        }
        return out;
      },
    );
  });

  it('adadelta (lr 1, rho 0.9, eps 1e-6): Zeiler (2012), Algorithm 1', () => {
    expectSteps(adadelta(), (x0) => {
      let x = x0;
      let eg2 = 0;
      let edx2 = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        eg2 = 0.9 * eg2 + 0.1 * g * g;
        const dx = -(Math.sqrt(edx2 + 1e-6) / Math.sqrt(eg2 + 1e-6)) * g;
        edx2 = 0.9 * edx2 + 0.1 * dx * dx;
        x = x + dx;
        out.push(x);
      }
      return out;
    });
  });

  it('adam (lr 0.1): Kingma & Ba (2015), Algorithm 1, with eps on the corrected root', () => {
    // Step 1: mhat = g, vhat = g^2, so x1 = x0 - 0.1 * g / (|g| + 1e-8) = x0 - 0.1 sign(x0) (almost).
    const path = runSteps(adam({ learningRate: 0.1 }), f, START, 1);
    expect(relativeError(path[0]![0]!, 1.5 - (0.1 * 3) / (3 + 1e-8))).toBeLessThan(1e-12);
    expectSteps(adam({ learningRate: 0.1 }), (x0) => {
      let x = x0;
      let m = 0;
      let v = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        const mhat = m / (1 - 0.9 ** t);
        const vhat = v / (1 - 0.999 ** t);
        x = x - (0.1 * mhat) / (Math.sqrt(vhat) + 1e-8);
        out.push(x);
      }
      return out;
    });
  });

  it('adam with coupled L2 weight decay 0.1 (gradient 2.1x)', () => {
    expectSteps(adam({ learningRate: 0.1, weightDecay: 0.1, beta1: 0.8, beta2: 0.99 }), (x0) => {
      let x = x0;
      let m = 0;
      let v = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2.1 * x;
        m = 0.8 * m + 0.2 * g;
        v = 0.99 * v + 0.01 * g * g;
        x = x - (0.1 * (m / (1 - 0.8 ** t))) / (Math.sqrt(v / (1 - 0.99 ** t)) + 1e-8);
        out.push(x);
      }
      return out;
    });
  });

  it('adamw (lr 0.1, weight decay 0.1): Loshchilov & Hutter (2019), x <- x(1 - lr wd) - lr adam', () => {
    expectSteps(adamw({ learningRate: 0.1, weightDecay: 0.1 }), (x0) => {
      let x = x0;
      let m = 0;
      let v = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        const step = m / (1 - 0.9 ** t) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
        x = x * (1 - 0.1 * 0.1) - 0.1 * step;
        out.push(x);
      }
      return out;
    });
  });

  it('amsgrad (lr 0.45, beta2 0.5 so that v decreases): max over the raw second moment', () => {
    // From 1.5: g1 = 3, v1 = 4.5; x1 ~ 1.05, g2 ~ 2.1, v2 ~ 2.25 + 2.205 = 4.455 < 4.5: vmax stays 4.5.
    expectSteps(amsgrad({ learningRate: 0.45, beta2: 0.5 }), (x0) => {
      let x = x0;
      let m = 0;
      let v = 0;
      let vmax = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        m = 0.9 * m + 0.1 * g;
        v = 0.5 * v + 0.5 * g * g;
        vmax = Math.max(vmax, v);
        x = x - (0.45 * (m / (1 - 0.9 ** t))) / (Math.sqrt(vmax) / Math.sqrt(1 - 0.5 ** t) + 1e-8);
        out.push(x);
      }
      return out;
    });
    // and it differs from Adam here, which would use v2 = 4.455:
    const a = runSteps(adam({ learningRate: 0.45, beta2: 0.5 }), f, START, 2);
    const b = runSteps(amsgrad({ learningRate: 0.45, beta2: 0.5 }), f, START, 2);
    expect(a[1]![0]).not.toBe(b[1]![0]);
  });

  it('adamax (lr 0.1): Kingma & Ba (2015), Algorithm 2, eps inside the max as PyTorch', () => {
    expectSteps(adamax({ learningRate: 0.1 }), (x0) => {
      let x = x0;
      let m = 0;
      let u = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        m = 0.9 * m + 0.1 * g;
        u = Math.max(0.999 * u, Math.abs(g) + 1e-8);
        x = x - (0.1 / (1 - 0.9 ** t)) * (m / u);
        out.push(x);
      }
      return out;
    });
  });

  it('nadam (lr 0.1): Dozat (2016) with the 0.96^(t psi) momentum schedule', () => {
    expectSteps(nadam({ learningRate: 0.1 }), (x0) => {
      let x = x0;
      let m = 0;
      let v = 0;
      let prod = 1;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        const mu = 0.9 * (1 - 0.5 * 0.96 ** (t * 0.004));
        const muNext = 0.9 * (1 - 0.5 * 0.96 ** ((t + 1) * 0.004));
        prod = prod * mu;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        const denom = Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8;
        x =
          x -
          ((0.1 * (1 - mu)) / (1 - prod)) * (g / denom) -
          ((0.1 * muNext) / (1 - prod * muNext)) * (m / denom);
        out.push(x);
      }
      return out;
    });
  });

  it('radam (lr 0.1): rho_t <= 5 for t <= 3 with beta2 = 0.999, so x <- x - lr mhat', () => {
    // rho_inf = 1999; rho_1 = 1999 - 2 * 0.999 / 0.001 = 1, rho_2 ~ 2, rho_3 ~ 3: all <= 5.
    expectSteps(radam({ learningRate: 0.1 }), (x0) => {
      let x = x0;
      let m = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        m = 0.9 * m + 0.1 * g;
        x = x - 0.1 * (m / (1 - 0.9 ** t));
        out.push(x);
      }
      return out;
    });
  });

  it('radam rectified steps (beta2 0.9: rho_t > 5 from t = 6), seven steps', () => {
    expectSteps(
      radam({ learningRate: 0.01, beta2: 0.9 }),
      (x0) => {
        let x = x0;
        let m = 0;
        let v = 0;
        const rhoInf = 2 / (1 - 0.9) - 1; // 19
        const out: number[] = [];
        for (let t = 1; t <= 7; t++) {
          const g = 2 * x;
          m = 0.9 * m + 0.1 * g;
          v = 0.9 * v + 0.1 * g * g;
          const mhat = m / (1 - 0.9 ** t);
          const rho = rhoInf - (2 * t * 0.9 ** t) / (1 - 0.9 ** t);
          if (rho > 5) {
            const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
            const adaptive = Math.sqrt(1 - 0.9 ** t) / (Math.sqrt(v) + 1e-8);
            x = x - 0.01 * mhat * r * adaptive;
          } else {
            x = x - 0.01 * mhat;
          }
          out.push(x);
        }
        return out;
      },
      7,
    );
  });

  it('lion (lr 0.1, weight decay 0.1): Chen et al. (2023), Algorithm 2', () => {
    // From 1.5: c1 = 0.1 * 3 > 0, x1 = 1.5 - 0.1 (1 + 0.15) = 1.385.
    const path = runSteps(lion({ learningRate: 0.1, weightDecay: 0.1 }), f, START, 1);
    expect(relativeError(path[0]![0]!, 1.385)).toBeLessThan(1e-12);
    expectSteps(lion({ learningRate: 0.1, weightDecay: 0.1 }), (x0) => {
      let x = x0;
      let m = 0;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        const g = 2 * x;
        const c = 0.9 * m + 0.1 * g;
        x = x - 0.1 * (Math.sign(c) + 0.1 * x);
        m = 0.99 * m + 0.01 * g;
        out.push(x);
      }
      return out;
    });
  });

  it('rprop (initial step 0.1): grows by 1.2 while the sign holds, backs off on a flip', () => {
    // x0 = 1.5: steps 0.1, 0.12, 0.144 -> 1.4, 1.28, 1.136.
    // x0 = 0.05: g = 0.1 -> x1 = -0.05; g = -0.1 flips: step 0.05, no move; then g_prev = 0:
    // factor 1, x3 = -0.05 + 0.05 = 0.
    const path = runSteps(rprop({ initialStep: 0.1 }), f, START, 3);
    expect(path.map((p) => p[0])).toEqual([1.4, 1.28, 1.136].map((v) => expect.closeTo(v, 14)));
    expect(path.map((p) => p[2])).toEqual([-0.05, -0.05, 0].map((v) => expect.closeTo(v, 15)));
    expectSteps(rprop({ initialStep: 0.1 }), (x0) => {
      let x = x0;
      let prev = 0;
      let step = 0.1;
      const out: number[] = [];
      for (let t = 1; t <= 3; t++) {
        let g = 2 * x;
        if (g * prev > 0) step = Math.min(step * 1.2, 50);
        else if (g * prev < 0) {
          step = Math.max(step * 0.5, 1e-6);
          g = 0;
        }
        x = x - Math.sign(g) * step;
        prev = g;
        out.push(x);
      }
      return out;
    });
  });

  it('lookahead (sgd lr 0.1, k 2, alpha 0.5): Zhang et al. (2019), Algorithm 1', () => {
    // fast 1.5 -> 1.2 -> 0.96; sync: slow = 1.5 + 0.5 (0.96 - 1.5) = 1.23; then 1.23 * 0.8 = 0.984.
    expectSteps(lookahead(sgd({ learningRate: 0.1 }), { k: 2, alpha: 0.5 }), (x0) => {
      const x1 = 0.8 * x0;
      const fast2 = 0.8 * x1;
      const slow = x0 + 0.5 * (fast2 - x0);
      return [x1, slow, 0.8 * slow];
    });
  });
});

describe('parameter averaging, by hand', () => {
  it('SWA from step 1 with its own learning rate 0.05 averages equally', () => {
    // sgd lr 0.1 at t = 0: 1.5 -> 1.2; from t = 1 lr 0.05 (x <- 0.9 x): 1.08, 0.972;
    // average of the two SWA iterates: (1.08 + 0.972) / 2 = 1.026.
    const swa = stochasticWeightAveraging(sgd({ learningRate: 0.1 }), { start: 1, learningRate: 0.05 });
    const path = runSteps(swa, f, START, 3);
    expect(path.map((p) => p[0])).toEqual([1.2, 1.08, 0.972].map((v) => expect.closeTo(v, 14)));
    const avg = swa.averagedParams()!;
    for (let c = 0; c < START.length; c++) {
      const x0 = START[c]!;
      expect(relativeError(avg[c]!, (0.8 * 0.9 * x0 + 0.8 * 0.81 * x0) / 2)).toBeLessThan(1e-12);
    }
  });

  it('EMA with decay 0.5 copies the first iterate, then averages exponentially', () => {
    // sgd lr 0.1: 1.2, 0.96, 0.768; ema: 1.2, 0.5 * 1.2 + 0.5 * 0.96 = 1.08, 0.5 * 1.08 + 0.5 * 0.768 = 0.924.
    const ema = parameterEma(sgd({ learningRate: 0.1 }), { decay: 0.5 });
    const optimizer = ema;
    const params = Float64Array.from(START);
    const state = optimizer.init(params);
    const updates = new Float64Array(3);
    const context = { step: 0, loss: 0, overrides: {}, current: {} };
    for (let t = 0; t < 3; t++) {
      context.step = t;
      for (let i = 0; i < 3; i++) updates[i] = 2 * params[i]!;
      optimizer.update(updates, state, params, context);
      for (let i = 0; i < 3; i++) params[i]! += updates[i]!;
    }
    expect(averagedParams(state)![0]).toBeCloseTo(0.924, 14);
    expect(ema.averagedParams()![1]).toBeCloseTo((-0.5 / 1.5) * 0.924, 14);
  });
});
