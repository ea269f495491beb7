import type { Objective } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { breastCancer, logisticObjective, readFixture } from '../test/fixtures.js';
import { quadratic, rosenbrock } from '../test/objectives.js';
import { lbfgs } from './lbfgs.js';
import { newton } from './newton.js';

const A = Float64Array.of(4, 1, 0, 1, 3, 0.5, 0, 0.5, 1);
const C = Float64Array.of(1, -2, 0.5);

describe('newton (standalone, small problems)', () => {
  it('a quadratic in one step: exact Hessian, full step, lands on the minimiser', () => {
    const r = newton(quadratic(A, C), [5, 5, 5], { hessian: (_p, out) => out.set(A), lineSearch: 'none' });
    expect(r.iterations).toBe(1);
    for (let i = 0; i < 3; i++) expect(r.params[i]).toBeCloseTo(C[i]!, 12);
    expect(r.reason).toBe('gradient-tolerance');
  });

  it('a quadratic in one step with a finite-difference Hessian: 1 + 2n + 1 evaluations', () => {
    const r = newton(quadratic(A, C), [5, 5, 5], { maxIterations: 1 });
    for (let i = 0; i < 3; i++) expect(r.params[i]).toBeCloseTo(C[i]!, 8);
    expect(r.evaluations).toBe(1 + 2 * 3 + 1);
  });

  it('Rosenbrock from (-1.2, 1) with the analytic Hessian reaches (1, 1)', () => {
    const hessian = (p: Float64Array, out: Float64Array) => {
      const [x, y] = [p[0]!, p[1]!];
      out[0] = 2 - 400 * (y - x * x) + 800 * x * x;
      out[1] = -400 * x;
      out[2] = -400 * x;
      out[3] = 200;
    };
    const r = newton(rosenbrock, [-1.2, 1], { hessian });
    expect(r.params[0]).toBeCloseTo(1, 10);
    expect(r.params[1]).toBeCloseTo(1, 10);
    console.log(`newton on Rosenbrock: ${r.iterations} iterations, ${r.evaluations} evaluations`);
  });

  it('near a saddle, damping keeps the step a descent: f = x^2 - y^2 + y^4 / 4 from (1, 0.1) reaches (0, sqrt 2)', () => {
    // The Hessian diag(2, 3y^2 - 2) is indefinite at y = 0.1: undamped Newton would head for the saddle at 0.
    const f: Objective<void> = {
      dimension: 2,
      loss(p, _b, g) {
        const [x, y] = [p[0]!, p[1]!];
        if (g) {
          g[0] = 2 * x;
          g[1] = -2 * y + y ** 3;
        }
        return x * x - y * y + y ** 4 / 4;
      },
    };
    const r = newton(f, [1, 0.1]);
    expect(r.maxDamping).toBeGreaterThan(0);
    expect(Math.abs(r.params[0]!)).toBeLessThan(1e-8);
    expect(r.params[1]).toBeCloseTo(Math.SQRT2, 8);
  });

  it('breast-cancer logistic regression: the exact Hessian X^T S X / n + l2 reaches PyTorch L-BFGS loss within 1e-8', () => {
    const fixture = readFixture<{
      l2: number;
      cases: { name: string; options: { line_search_fn?: string }; loss: number }[];
    }>('lbfgs.json');
    const torch = fixture.cases.find((c) => c.name === 'breast-cancer' && c.options.line_search_fn)!;
    const f = logisticObjective(fixture.l2);
    const { x, rows, cols } = breastCancer();
    const m = cols + 1;
    const hessian = (p: Float64Array, out: Float64Array) => {
      out.fill(0);
      const row = new Float64Array(m);
      for (let i = 0; i < rows; i++) {
        let z = p[cols]!;
        for (let j = 0; j < cols; j++) {
          row[j] = x[i * cols + j]!;
          z += row[j]! * p[j]!;
        }
        row[cols] = 1;
        const s = 1 / (1 + Math.exp(-z));
        const w = (s * (1 - s)) / rows;
        for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[a * m + b]! += w * row[a]! * row[b]!;
      }
      for (let j = 0; j < cols; j++) out[j * m + j]! += fixture.l2;
    };
    const exact = newton(f, new Float64Array(m), { hessian });
    const finite = newton(f, new Float64Array(m));
    const quasi = lbfgs(f, new Float64Array(m), {
      lineSearch: 'strong-wolfe',
      historySize: 10,
      maxIterations: 500,
    });
    for (const r of [exact, finite]) expect(Math.abs(r.loss - torch.loss)).toBeLessThan(1e-8);
    console.log(
      `breast-cancer logistic: newton (exact Hessian) ${exact.iterations} iterations, ${exact.evaluations} evaluations, loss ${exact.loss}; ` +
        `newton (finite differences) ${finite.iterations} iterations, ${finite.evaluations} evaluations; ` +
        `L-BFGS ${quasi.iterations} iterations, ${quasi.evaluations} evaluations; PyTorch L-BFGS loss ${torch.loss}`,
    );
  });
});
