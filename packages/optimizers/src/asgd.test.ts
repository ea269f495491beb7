import type { UpdateContext } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { fixtureObjective, negated, readFixture } from '../test/fixtures.js';
import { relativeError } from '../test/objectives.js';
import { asgd } from './asgd.js';
import { averagedParams } from './averaging-optimizer.js';

interface AsgdCase {
  objective: string;
  start: number[];
  options: {
    lr?: number;
    lambd?: number;
    alpha?: number;
    t0?: number;
    weight_decay?: number;
    maximize?: boolean;
  };
  params: number[][];
  averages: number[][];
  losses: number[];
}

const fixture = readFixture<{ torch: string; cases: AsgdCase[] }>('asgd.json');

function close(actual: number, expected: number, what: string): void {
  const err = Math.abs(expected) < 1e-12 ? Math.abs(actual - expected) : relativeError(actual, expected);
  expect(err, `${what}: ${actual} vs PyTorch ${expected}`).toBeLessThan(1e-12);
}

describe(`asgd against torch.optim.ASGD (PyTorch ${fixture.torch}, float64)`, () => {
  for (const c of fixture.cases) {
    it(`${c.objective} ${JSON.stringify(c.options)}: ${c.params.length} steps, iterates and average`, () => {
      const o = c.options;
      const optimizer = asgd({
        ...(o.lr === undefined ? {} : { learningRate: o.lr }),
        ...(o.lambd === undefined ? {} : { lambd: o.lambd }),
        ...(o.alpha === undefined ? {} : { alpha: o.alpha }),
        ...(o.t0 === undefined ? {} : { t0: o.t0 }),
        ...(o.weight_decay === undefined ? {} : { weightDecay: o.weight_decay }),
        ...(o.maximize === undefined ? {} : { maximize: o.maximize }),
      });
      const f = o.maximize ? negated(fixtureObjective(c.objective)) : fixtureObjective(c.objective);
      const params = Float64Array.from(c.start);
      const grad = new Float64Array(params.length);
      const state = optimizer.init(params);
      const context: UpdateContext & { step: number; loss: number } = {
        step: 0,
        loss: 0,
        overrides: {},
        current: {},
      };
      for (let t = 0; t < c.params.length; t++) {
        context.step = t;
        context.loss = f.loss(params, undefined, grad);
        close(context.loss, c.losses[t]!, `loss before step ${t + 1}`);
        optimizer.update(grad, state, params, context);
        for (let i = 0; i < params.length; i++) params[i]! += grad[i]!;
        const average = averagedParams(state);
        for (let i = 0; i < params.length; i++) {
          close(params[i]!, c.params[t]![i]!, `step ${t + 1} p[${i}]`);
          close(average![i]!, c.averages[t]![i]!, `step ${t + 1} ax[${i}]`);
        }
      }
    });
  }

  it('averages the points from step t0 + 2 on with equal weights (t0 = 2, lambd = 0 is plain SGD)', () => {
    // eta is constant with lambd = 0, so the iterates are SGD's: 0.8^t x0 on sum x^2 with lr 0.1.
    // mu_{t+1} = 1 / max(1, t - t0): mu = 1 for steps 1 to 4, then mu_5 = 1/2, mu_6 = 1/3.
    // So ax_4 = p4, ax_5 = (p4 + p5)/2, ax_6 = (p4 + p5 + p6)/3.
    const optimizer = asgd({ learningRate: 0.1, lambd: 0, t0: 2 });
    const params = Float64Array.of(1);
    const state = optimizer.init(params);
    const g = new Float64Array(1);
    const context = { step: 0, loss: 0, overrides: {}, current: {} };
    for (let t = 0; t < 6; t++) {
      g[0] = 2 * params[0]!;
      optimizer.update(g, state, params, { ...context, step: t });
      params[0]! += g[0]!;
    }
    const p = (t: number) => 0.8 ** t;
    expect(params[0]).toBeCloseTo(p(6), 14);
    expect(averagedParams(state)![0]).toBeCloseTo((p(4) + p(5) + p(6)) / 3, 14);
  });

  it('refuses a negative lambd, alpha or t0, naming it', () => {
    expect(() => asgd({ lambd: -1 })).toThrow('asgd: lambd must be a finite number >= 0, got -1');
    expect(() => asgd({ alpha: -0.5 })).toThrow(/alpha/);
    expect(() => asgd({ t0: Number.NaN })).toThrow(/t0/);
  });
});
