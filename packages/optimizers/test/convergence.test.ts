// Every optimizer, table-driven (test/convergence-table.ts), on a convex quadratic, on Rosenbrock's
// valley and on a matrix quadratic for the methods that work per weight matrix.
import { describe, expect, it } from 'vitest';
import { sgd } from '../src/index.js';
import {
  converge,
  convexQuadratic,
  matrixQuadratic,
  matrixTable,
  newtonMethodForTest,
  quadraticTable,
  rosenbrockTable,
  rosenbrockValley,
} from './convergence-table.js';
import { sumOfSquares } from './objectives.js';

describe('convergence on a convex quadratic (3 dimensions, condition ~6)', () => {
  it.each(quadraticTable)('$name reaches the minimiser within $tolerance in $steps steps', (row) => {
    expect(converge(row.method, convexQuadratic, row.steps, row.tolerance).distance).toBeLessThan(
      row.tolerance,
    );
  });
});

describe('convergence on Rosenbrock from (-1.2, 1)', () => {
  it.each(rosenbrockTable)('$name reaches (1, 1) within $tolerance in $steps steps', (row) => {
    expect(converge(row.method, rosenbrockValley, row.steps, row.tolerance).distance).toBeLessThan(
      row.tolerance,
    );
  });
});

describe('convergence on a matrix quadratic (2 x 2 weight and a bias)', () => {
  it.each(matrixTable)('$name reaches the minimiser within $tolerance in $steps steps', (row) => {
    expect(converge(row.method, matrixQuadratic, row.steps, row.tolerance).distance).toBeLessThan(
      row.tolerance,
    );
  });
});

describe('the counts the printed table reports', () => {
  it('steps and evaluations to a target: x <- 0.8 x from 1 first goes below 1e-3 after 31 steps', () => {
    // SGD at 0.1 on x^2: x_k = 0.8^k; 0.8^30 = 1.24e-3, 0.8^31 = 9.9e-4.
    const problem = { name: 'x^2', objective: sumOfSquares(1), start: [1], minimiser: [0] };
    const r = converge({ kind: 'steps', make: () => sgd({ learningRate: 0.1 }) }, problem, 100, 1e-3);
    expect(r).toEqual({
      distance: expect.closeTo(0.8 ** 100, 20),
      stepsToTarget: 31,
      evaluationsToTarget: 31,
    });
    expect(converge({ kind: 'steps', make: () => sgd({ learningRate: 0.1 }) }, problem, 30, 1e-3)).toEqual({
      distance: expect.closeTo(0.8 ** 30, 15),
      stepsToTarget: undefined,
      evaluationsToTarget: undefined,
    });
  });

  it('counts every evaluation of a minimiser: Newton on a quadratic is one iteration of 2 n + 2', () => {
    // One evaluation at the start, 2 n = 6 for the central-difference Hessian (exact on a
    // quadratic), one at the full step, which the Armijo test accepts.
    const r = converge(newtonMethodForTest, convexQuadratic, 3, 1e-9);
    expect(r.stepsToTarget).toBe(1);
    expect(r.evaluationsToTarget).toBe(8);
  });
});
