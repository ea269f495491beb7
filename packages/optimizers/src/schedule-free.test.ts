import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { averagedParams } from './averaging-optimizer.js';
import { scheduleFreeAdamw, scheduleFreeSgd } from './schedule-free.js';

// (0.05 would land within 1e-6 of 0 after the first AdamW step: relative errors there are rounding.)
const START = [1.5, -0.5, 0.2];

/** Algorithm 1 of Defazio et al. (2024) on sum x^2 for one coordinate: returns y_t and x_t. */
function byHand(
  x0: number,
  steps: number,
  o: { lr: number; beta: number; wd: number; warmup: number; adam: boolean },
): { y: number[]; x: number[] } {
  let z = x0;
  let x = x0;
  let v = 0;
  let sum = 0;
  const ys: number[] = [];
  const xs: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const y = (1 - o.beta) * z + o.beta * x;
    let g = 2 * y;
    let gamma = o.lr * (o.warmup > 0 ? Math.min(1, t / o.warmup) : 1);
    if (o.adam) {
      v = 0.999 * v + 0.001 * g * g;
      g = g / (Math.sqrt(v) + 1e-8);
      gamma *= Math.sqrt(1 - 0.999 ** t);
    }
    z = z - gamma * (g + o.wd * y);
    sum += gamma * gamma;
    const c = (gamma * gamma) / sum;
    x = (1 - c) * x + c * z;
    ys.push((1 - o.beta) * z + o.beta * x);
    xs.push(x);
  }
  return { y: ys, x: xs };
}

function check(
  make: () => ReturnType<typeof scheduleFreeSgd>,
  o: Parameters<typeof byHand>[2],
  steps: number,
): void {
  const optimizer = make();
  const path = runSteps(optimizer, sumOfSquares(3), START, steps);
  for (let c = 0; c < 3; c++) {
    const { y } = byHand(START[c]!, steps, o);
    for (let t = 0; t < steps; t++)
      expect(relativeError(path[t]![c]!, y[t]!), `y coordinate ${c} step ${t + 1}`).toBeLessThan(1e-12);
  }
}

describe('schedule-free SGD and AdamW, against Algorithm 1 of Defazio et al. (2024) by hand', () => {
  it('sgd: five steps, lr 0.1, beta 0.9, warmup over 3 steps, weight decay 0.05 (the run holds y)', () => {
    check(
      () => scheduleFreeSgd({ learningRate: 0.1, warmupSteps: 3, weightDecay: 0.05 }),
      {
        lr: 0.1,
        beta: 0.9,
        wd: 0.05,
        warmup: 3,
        adam: false,
      },
      5,
    );
  });

  it('adamw: five steps, lr 0.05, beta 0.8, weight decay 0.01', () => {
    check(
      () => scheduleFreeAdamw({ learningRate: 0.05, beta1: 0.8, weightDecay: 0.01 }),
      {
        lr: 0.05,
        beta: 0.8,
        wd: 0.01,
        warmup: 0,
        adam: true,
      },
      5,
    );
  });

  it('the evaluation point x is averagedParams(state): the gamma^2-weighted average of z', () => {
    // Without warmup gamma is constant, so c_{t+1} = 1/t and x is the plain mean of z_2..z_{t+1}.
    const o = scheduleFreeSgd({ learningRate: 0.1 });
    const params = Float64Array.of(1.5);
    const state = o.init(params);
    const g = new Float64Array(1);
    const zs: number[] = [];
    let z = 1.5;
    let x = 1.5;
    for (let t = 0; t < 4; t++) {
      const y = 0.1 * z + 0.9 * x;
      expect(params[0]).toBeCloseTo(y, 14);
      g[0] = 2 * params[0]!;
      o.update(g, state, params, { step: t, loss: 0, overrides: {}, current: {} });
      params[0]! += g[0]!;
      z = z - 0.1 * 2 * y;
      zs.push(z);
      x = zs.reduce((s, v) => s + v, 0) / zs.length;
      expect(averagedParams(state)![0]).toBeCloseTo(x, 14);
    }
    // y and x differ: evaluating at the run's parameters would not be the schedule-free answer.
    expect(Math.abs(params[0]! - averagedParams(state)![0]!)).toBeGreaterThan(1e-3);
  });

  it('x converges to the minimiser of a quadratic with a constant learning rate', () => {
    const o = scheduleFreeSgd({ learningRate: 0.2 });
    const params = Float64Array.of(3, -2);
    const state = o.init(params);
    const g = new Float64Array(2);
    for (let t = 0; t < 2000; t++) {
      g[0] = 2 * params[0]!;
      g[1] = 2 * params[1]!;
      o.update(g, state, params, { step: t, loss: 0, overrides: {}, current: {} });
      params[0]! += g[0]!;
      params[1]! += g[1]!;
    }
    const x = averagedParams(state)!;
    expect(Math.hypot(x[0]!, x[1]!)).toBeLessThan(1e-2);
  });
});
