import { deserializeState, type Objective, serializeState } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { breastCancer, logisticObjective, readFixture } from '../test/fixtures.js';
import { rosenbrock } from '../test/objectives.js';
import { type LbfgsState, lbfgs } from './lbfgs.js';
import { cubicInterpolate } from './strong-wolfe.js';

interface LbfgsCase {
  name: string;
  /** How many times the script called step(). */
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
  params: number[];
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

/** Records every loss the objective is evaluated at, in order. */
function recording(f: Objective<void>): { objective: Objective<void>; losses: number[] } {
  const losses: number[] = [];
  return {
    losses,
    objective: {
      dimension: f.dimension,
      loss(p, b, g) {
        const v = f.loss(p, b, g);
        losses.push(v);
        return v;
      },
    },
  };
}

describe(`lbfgs against torch.optim.LBFGS (PyTorch ${fixture.torch}, float64), one step() call`, () => {
  for (const c of fixture.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}, ${c.calls} call(s): same evaluations, iterations and final loss`, () => {
      const { objective, losses } = recording(objectiveOf(c.name));
      let result = lbfgs(objective, c.start, optionsOf(c));
      for (let call = 1; call < c.calls; call++)
        result = lbfgs(objective, result.params, { ...optionsOf(c), state: result.state });
      expect(result.state.evaluations).toBe(c.funcEvals);
      expect(result.state.iterations).toBe(c.iterations);
      expect(losses.length).toBe(c.evaluated.length);
      // Evaluation by evaluation: the same points, up to summation-order rounding.
      losses.forEach((v, k) => {
        const e = c.evaluated[k]!;
        expect(Math.abs(v - e), `evaluation ${k + 1}: ${v} vs ${e}`).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(e)),
        );
      });
      const final = objectiveOf(c.name).loss(result.params, undefined);
      expect(Math.abs(final - c.loss), `final loss ${final} vs ${c.loss}`).toBeLessThan(1e-8);
    });
  }

  it('the state round-trips through JSON (serializeState) and continues the same', () => {
    const c = fixture.cases.find((k) => k.calls > 1 && k.name === 'breast-cancer')!;
    const f = objectiveOf(c.name);
    const first = lbfgs(f, c.start, optionsOf(c));
    const saved = deserializeState(JSON.parse(JSON.stringify(serializeState(first.state)))) as LbfgsState;
    const a = lbfgs(f, first.params, { ...optionsOf(c), state: first.state });
    const b = lbfgs(f, first.params, { ...optionsOf(c), state: saved });
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
  });

  it('breast-cancer logistic regression: within 1e-8 of PyTorch in far fewer evaluations than gradient descent', () => {
    const c = fixture.cases.find(
      (k) => k.name === 'breast-cancer' && k.options.line_search_fn === 'strong_wolfe',
    )!;
    const f = logisticObjective(fixture.l2);
    const result = lbfgs(f, c.start, optionsOf(c));
    const lbfgsLoss = f.loss(result.params, undefined);
    expect(Math.abs(lbfgsLoss - c.loss)).toBeLessThan(1e-8);
    // Gradient descent with step 1/L, L = the largest Hessian eigenvalue bound 0.25 lambda_max(X~^T X~ / n) + l2,
    // found by power iteration on X~ = [X 1]; counted until within 1e-4 of PyTorch's loss.
    const L = 0.25 * largestEigenvalue() + fixture.l2;
    const p = new Float64Array(f.dimension);
    const g = new Float64Array(f.dimension);
    let gdEvaluations = 0;
    let loss = Number.POSITIVE_INFINITY;
    while (gdEvaluations < 100_000) {
      loss = f.loss(p, undefined, g);
      gdEvaluations++;
      if (loss - c.loss < 1e-4) break;
      for (let i = 0; i < p.length; i++) p[i]! -= g[i]! / L;
    }
    console.log(
      `breast-cancer logistic (l2 ${fixture.l2}): L-BFGS strong Wolfe ${result.evaluations} evaluations, loss ${lbfgsLoss} ` +
        `(PyTorch ${c.funcEvals}, ${c.loss}, |diff| ${Math.abs(lbfgsLoss - c.loss).toExponential(2)}); ` +
        `gradient descent (step 1/L = ${(1 / L).toFixed(4)}) needs ${gdEvaluations} evaluations to get within 1e-4`,
    );
    expect(loss - c.loss).toBeLessThan(1e-4);
    expect(result.evaluations).toBeLessThan(gdEvaluations);
  });

  it('cubic interpolation finds the minimiser of a cubic exactly', () => {
    // f(x) = x^3 - 3x: minimum at x = 1; f' = 3x^2 - 3.
    const f = (x: number) => x ** 3 - 3 * x;
    const df = (x: number) => 3 * x * x - 3;
    expect(cubicInterpolate(0, f(0), df(0), 2, f(2), df(2))).toBeCloseTo(1, 14);
  });

  it('refuses a start of the wrong length and a non-finite loss, naming them', () => {
    expect(() => lbfgs(rosenbrock, [1, 2, 3])).toThrow('lbfgs: start has 3 parameters, the objective has 2');
    const bad: Objective<void> = { dimension: 1, loss: () => Number.NaN };
    expect(() => lbfgs(bad, [0])).toThrow('lbfgs: the objective returned NaN at evaluation 1');
  });
});

/** lambda_max of [X 1]^T [X 1] / n by power iteration (an oracle for the step size only). */
function largestEigenvalue(): number {
  const { x, rows, cols } = breastCancer();
  const m = cols + 1;
  let v = new Float64Array(m).fill(1);
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const w = new Float64Array(m);
    for (let i = 0; i < rows; i++) {
      let z = v[cols]!;
      for (let j = 0; j < cols; j++) z += x[i * cols + j]! * v[j]!;
      for (let j = 0; j < cols; j++) w[j]! += (x[i * cols + j]! * z) / rows;
      w[cols]! += z / rows;
    }
    lambda = Math.hypot(...w);
    v = w.map((wi) => wi / lambda);
  }
  return lambda;
}
