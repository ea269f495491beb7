import { describe, expect, it } from 'vitest';
import type { EndEvent, TrainEvent } from './events.js';
import type { Objective } from './objective.js';
import { type Optimizer, withFusedStep } from './optimizer.js';
import { train } from './train.js';

// f(p) = 0.5 |p|^2, gradient p: plain SGD with rate 0.5 halves the parameters every step.
const bowl: Objective<unknown> = {
  dimension: 3,
  loss(params, _batch, grad) {
    let s = 0;
    for (let i = 0; i < params.length; i++) {
      s += 0.5 * params[i]! * params[i]!;
      if (grad) grad[i] = params[i]!;
    }
    return s;
  },
};

function sgd(calls: { update: number; fused: number }, fused: (p: Float64Array, g: Float64Array) => boolean) {
  const opt: Optimizer<null> = {
    name: 'sgd',
    settable: [],
    init: () => null,
    update(u) {
      calls.update++;
      for (let i = 0; i < u.length; i++) u[i]! *= -0.5;
    },
    describe: () => ({ name: 'sgd' }),
  };
  return withFusedStep(opt, (u, _s, p) => {
    calls.fused++;
    return fused(p, u);
  });
}

function run(optimizer: Optimizer<null>, steps: number): TrainEvent[] {
  const events: TrainEvent[] = [];
  train({ objective: bowl, optimizer, params: [8, -4, 2], steps, mode: 'sync' }).subscribe((e) =>
    events.push(e),
  );
  return events;
}

describe('the run loop and fused steps', () => {
  it("runs the optimizer's fused step instead of update plus its own apply pass", () => {
    const calls = { update: 0, fused: 0 };
    const events = run(
      sgd(calls, (p, g) => {
        for (let i = 0; i < p.length; i++) p[i]! -= 0.5 * g[i]!;
        return true;
      }),
      3,
    );
    expect(calls).toEqual({ update: 0, fused: 3 });
    const end = events.at(-1) as EndEvent;
    expect(end.reason).toBe('completed');
    expect(end.params).toEqual([1, -0.5, 0.25]);
    // The gradient norm is still reported, from the gradient before the step: |(8, -4, 2)| first.
    const first = events.find((e) => e.type === 'step');
    expect(first && first.type === 'step' && first.gradNorm).toBe(Math.sqrt(84));
  });

  it('ends a run whose fused step refuses an update as diverged, with the last finite parameters', () => {
    const calls = { update: 0, fused: 0 };
    let step = 0;
    const events = run(
      sgd(calls, (p, g) => {
        if (step++ === 1) return false; // as a fused step does: parameters left as they were
        for (let i = 0; i < p.length; i++) p[i]! -= 0.5 * g[i]!;
        return true;
      }),
      5,
    );
    const end = events.at(-1) as EndEvent;
    expect(end.reason).toBe('diverged');
    expect(end.error).toMatch(/non-finite parameters after the update of step 1/);
    expect(end.params).toEqual([4, -2, 1]);
  });

  it('withFusedStep attaches a non-enumerable property that spread copies leave behind', () => {
    const opt = sgd({ update: 0, fused: 0 }, () => true);
    expect(opt.fusedStep).toBeTypeOf('function');
    expect(Object.keys(opt)).not.toContain('fusedStep');
    expect({ ...opt }.fusedStep).toBeUndefined();
  });
});
