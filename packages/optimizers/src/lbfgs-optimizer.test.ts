import { type Objective, type StepEvent, type TrainEvent, train } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { logisticObjective, readFixture } from '../test/fixtures.js';
import { rosenbrock } from '../test/objectives.js';
import { lbfgsOptimizer } from './lbfgs-optimizer.js';

interface LbfgsCase {
  name: string;
  calls: number;
  options: {
    lr?: number;
    max_iter?: number;
    history_size?: number;
    line_search_fn?: string;
    tolerance_grad?: number;
    tolerance_change?: number;
  };
  start: number[];
  evaluated: number[];
  funcEvals: number;
  iterations: number;
  loss: number;
}
const fixture = readFixture<{ torch: string; l2: number; cases: LbfgsCase[] }>('lbfgs.json');

function objectiveOf(name: string): Objective<void> {
  return name === 'rosenbrock' ? rosenbrock : logisticObjective(fixture.l2);
}

function optionsOf(c: LbfgsCase) {
  const o = c.options;
  return {
    ...(o.lr === undefined ? {} : { learningRate: o.lr }),
    ...(o.max_iter === undefined ? {} : { maxIterations: o.max_iter }),
    ...(o.history_size === undefined ? {} : { historySize: o.history_size }),
    ...(o.tolerance_grad === undefined ? {} : { toleranceGrad: o.tolerance_grad }),
    ...(o.tolerance_change === undefined ? {} : { toleranceChange: o.tolerance_change }),
    lineSearch: o.line_search_fn === 'strong_wolfe' ? ('strong-wolfe' as const) : ('none' as const),
  };
}

describe(`lbfgsOptimizer in train() against torch.optim.LBFGS (PyTorch ${fixture.torch}): a run step is a step(closure)`, () => {
  for (const c of fixture.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}, ${c.calls} step(s): PyTorch's evaluations, one for one`, () => {
      const f = objectiveOf(c.name);
      const losses: number[] = [];
      const recorded: Objective<void> = {
        dimension: f.dimension,
        loss(p, b, g) {
          const v = f.loss(p, b, g);
          losses.push(v);
          return v;
        },
      };
      const events: TrainEvent[] = [];
      train({
        objective: recorded,
        optimizer: lbfgsOptimizer(optionsOf(c)),
        params: c.start,
        steps: c.calls,
        mode: 'sync',
        returnState: true,
      }).subscribe((e) => events.push(e));
      const steps = events.filter((e): e is StepEvent => e.type === 'step');
      expect(steps).toHaveLength(c.calls);
      // Every loss PyTorch evaluated, in order: the run loop's evaluation is the closure's first call.
      expect(losses.length).toBe(c.evaluated.length);
      losses.forEach((v, k) => {
        const e = c.evaluated[k]!;
        expect(Math.abs(v - e), `evaluation ${k + 1}: ${v} vs ${e}`).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(e)),
        );
      });
      // The step events count them: PyTorch's func_evals.
      expect(steps.reduce((sum, s) => sum + (s.evaluations ?? 1), 0)).toBe(c.funcEvals);
      const end = events.at(-1)!;
      expect(end.type).toBe('end');
      if (end.type !== 'end') return;
      const final = f.loss(Float64Array.from(end.params), undefined);
      expect(Math.abs(final - c.loss), `final loss ${final} vs ${c.loss}`).toBeLessThan(1e-8);
    });
  }

  it("a live learningRate is the next step(closure)'s lr", () => {
    // Without a line search an iteration moves by lr * d: halving lr halves the first move.
    const run = (lr: number) => {
      let params: number[] = [];
      train({
        objective: rosenbrock,
        optimizer: lbfgsOptimizer({ learningRate: lr, maxIterations: 1 }),
        params: [-1.2, 1],
        steps: 1,
        mode: 'sync',
      }).subscribe((e) => {
        if (e.type === 'end') params = e.params;
      });
      return params;
    };
    const full = run(0.2);
    const half = run(0.1);
    expect(half[0]! + 1.2).toBeCloseTo((full[0]! + 1.2) / 2, 14);
    expect(lbfgsOptimizer().settable).toEqual(['learningRate']);
  });

  it('refuses to run without the closure and refuses bad options, naming them', () => {
    const o = lbfgsOptimizer({ maxIterations: 3 });
    const params = Float64Array.of(-1.2, 1);
    const g = new Float64Array(2);
    const loss = rosenbrock.loss(params, undefined, g);
    expect(() => o.update(g, o.init(params), params, { step: 0, loss, overrides: {}, current: {} })).toThrow(
      "lbfgs: needs the run loop's closure (context.evaluate): run it with train()",
    );
    expect(() => lbfgsOptimizer({ historySize: 0 })).toThrow(/lbfgs: historySize/);
    expect(() => lbfgsOptimizer({ lineSearch: 'wolfe' as 'none' })).toThrow(/lbfgs: lineSearch/);
  });
});
