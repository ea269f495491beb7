import { type RunCommand, type StepEvent, type TrainEvent, train } from '@downhill/core';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { quadratic, rosenbrock, sumOfSquares } from '../test/objectives.js';
import { newton } from './newton.js';
import { newtonOptimizer } from './newton-optimizer.js';

function steps(
  objective: Parameters<typeof train<void>>[0]['objective'],
  optimizer: ReturnType<typeof newtonOptimizer>,
  params: number[],
  n: number,
  commands: Record<number, RunCommand[]> = {},
) {
  const control = new Subject<RunCommand>();
  const events: TrainEvent[] = [];
  train({ objective, optimizer, params, steps: n, mode: 'sync', recordParams: true, control }).subscribe(
    (e) => {
      events.push(e);
      if (e.type === 'step') for (const c of commands[e.step] ?? []) control.next(c);
    },
  );
  return events.filter((e): e is StepEvent => e.type === 'step');
}

describe('newtonOptimizer: one Newton iteration per train() step', () => {
  it('lands on the minimiser of a quadratic in one step, counting 2 n + 2 evaluations', () => {
    // f = 1/2 (x - c)^T A (x - c): the Newton step -A^{-1} A (x - c) reaches c exactly (central
    // differences are exact on a quadratic, up to rounding). Evaluations: the run loop's, 2 n = 6
    // for the Hessian, 1 at the full step (accepted by the Armijo test).
    const A = Float64Array.from([4, 1, 0, 1, 3, 0.5, 0, 0.5, 1]);
    const c = [1, -2, 0.5];
    const [step] = steps(quadratic(A, Float64Array.from(c)), newtonOptimizer(), [5, 5, 5], 1);
    for (const [i, v] of step!.params!.entries()) expect(v).toBeCloseTo(c[i]!, 8);
    expect(step!.evaluations).toBe(8);
  });

  it('k steps on Rosenbrock are newton() with maxIterations k, bit for bit (it keeps no memory)', () => {
    const run = steps(rosenbrock, newtonOptimizer(), [-1.2, 1], 6);
    for (const k of [1, 3, 6]) {
      const standalone = newton(rosenbrock, [-1.2, 1], { maxIterations: k });
      expect(run[k - 1]!.params).toEqual(Array.from(standalone.params));
    }
  });

  it('damping is live-settable: (H + lambda I)^{-1} g from the next step', () => {
    // f = x^2 (H = 2, g = 2 x) from 1.5. Undamped, one full Newton step reaches 0.
    const run = steps(sumOfSquares(1), newtonOptimizer({ lineSearch: 'none' }), [1.5], 1);
    expect(run[0]!.params![0]).toBeCloseTo(0, 8);
    // Damping 6, then 2 set at step 0's event: x <- x - 2 x / (2 + lambda).
    const live = steps(sumOfSquares(1), newtonOptimizer({ lineSearch: 'none', damping: 6 }), [1.5], 2, {
      0: [{ type: 'set', name: 'damping', value: 2 }],
    });
    // Step 1, damping 6: x = 1.5 - 3 / 8 = 1.125; step 2, damping 2: x = 1.125 / 2.
    expect(live[0]!.params![0]).toBeCloseTo(1.125, 8);
    expect(live[1]!.params![0]).toBeCloseTo(0.5625, 8);
    expect(live.map((s) => s.hyperparams.damping)).toEqual([6, 2]);
  });

  it('refuses to run without the closure and refuses bad options', () => {
    const o = newtonOptimizer();
    const p = Float64Array.of(1);
    expect(() =>
      o.update(Float64Array.of(2), o.init(p), p, { step: 0, loss: 1, overrides: {}, current: {} }),
    ).toThrow("newton: needs the run loop's closure (context.evaluate): run it with train()");
    expect(() => newtonOptimizer({ damping: -1 })).toThrow(/newton: damping/);
  });
});
