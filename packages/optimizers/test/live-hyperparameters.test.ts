// Hyperparameters changed while a run is live, through `train({ control })` and `set` commands.

import type { Optimizer, ScheduleLike } from '@downhill/core';
import { type RunCommand, type StepEvent, type TrainEvent, train } from '@downhill/core';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  type AdamOptions,
  adabelief,
  adafactor,
  adam,
  adamw,
  asgd,
  type LayoutBlock,
  lamb,
  lars,
  muon,
  prodigy,
  sam,
  scheduleFreeAdamw,
  scheduleFreeSgd,
  sgd,
  stochasticWeightAveraging,
  yogi,
} from '../src/index.js';
import { sumOfSquares } from './objectives.js';

/** Runs `steps` steps on sum(x^2) from [1.5], sending `commands[k]` when step k's event arrives. */
function liveRun(optimizer: Optimizer, steps: number, commands: Record<number, RunCommand[]>) {
  const control = new Subject<RunCommand>();
  const events: TrainEvent[] = [];
  train({
    objective: sumOfSquares(1),
    optimizer,
    params: [1.5],
    steps,
    mode: 'sync',
    control,
    recordParams: true,
  }).subscribe((e) => {
    events.push(e);
    if (e.type === 'step') for (const c of commands[e.step] ?? []) control.next(c);
  });
  const stepEvents = events.filter((e): e is StepEvent => e.type === 'step');
  return { events, steps: stepEvents, x: stepEvents.map((e) => e.params![0]!) };
}

describe('live hyperparameters through the run control path', () => {
  it('learningRate: the next step uses the new value and reports it', () => {
    const run = liveRun(sgd({ learningRate: 0.1 }), 4, {
      1: [{ type: 'set', name: 'learningRate', value: 0.05, source: 'test' }],
    });
    expect(run.steps.map((s) => s.learningRate)).toEqual([0.1, 0.1, 0.05, 0.05]);
    // x <- 0.8 x twice, then x <- 0.9 x: 1.2, 0.96, 0.864, 0.7776.
    expect(run.x).toEqual([1.2, 0.96, 0.864, 0.7776].map((v) => expect.closeTo(v, 14)));
    const change = run.events.find((e) => e.type === 'hyperparam');
    expect(change).toMatchObject({ name: 'learningRate', value: 0.05, previous: 0.1, source: 'test' });
  });

  it('momentum on an SGD run started without it starts the buffer at the gradient (PyTorch)', () => {
    const run = liveRun(sgd({ learningRate: 0.1 }), 4, {
      0: [{ type: 'set', name: 'momentum', value: 0.5 }],
    });
    expect(run.steps.map((s) => s.hyperparams.momentum)).toEqual([0, 0.5, 0.5, 0.5]);
    // x1 = 1.2; step 2: b = g = 2.4, x2 = 1.2 - 0.24 = 0.96; step 3: g = 1.92, b = 1.2 + 1.92 = 3.12,
    // x3 = 0.96 - 0.312 = 0.648; step 4: g = 1.296, b = 1.56 + 1.296 = 2.856, x4 = 0.3624.
    expect(run.x).toEqual([1.2, 0.96, 0.648, 0.3624].map((v) => expect.closeTo(v, 14)));
  });

  it('weightDecay (coupled, SGD) takes effect at the next step', () => {
    const run = liveRun(sgd({ learningRate: 0.1 }), 2, {
      0: [{ type: 'set', name: 'weightDecay', value: 1 }],
    });
    // x1 = 1.2; then g = 2x + 1x = 3.6, x2 = 1.2 - 0.36 = 0.84.
    expect(run.x).toEqual([1.2, 0.84].map((v) => expect.closeTo(v, 14)));
    expect(run.steps[1]!.hyperparams.weightDecay).toBe(1);
  });

  it('adamw: the decoupled decay follows a live learning rate', () => {
    const options: AdamOptions = { learningRate: 0.1, weightDecay: 0.5 };
    const run = liveRun(adamw(options), 2, { 0: [{ type: 'set', name: 'learningRate', value: 0.2 }] });
    // Step 1 (lr 0.1): x1 = 1.5 (1 - 0.05) - 0.1 * 3 / (3 + 1e-8).
    const x1 = 1.5 * (1 - 0.1 * 0.5) - (0.1 * 3) / (3 + 1e-8);
    // Step 2 (lr 0.2): moments by hand.
    const g1 = 3;
    const g2 = 2 * x1;
    const m = 0.9 * 0.1 * g1 + 0.1 * g2;
    const v = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
    const x2 = x1 * (1 - 0.2 * 0.5) - (0.2 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    expect(run.x[0]).toBeCloseTo(x1, 14);
    expect(run.x[1]).toBeCloseTo(x2, 14);
  });

  it('adam: beta1 is settable and reported', () => {
    const optimizer = adam({ learningRate: 0.1 });
    expect(optimizer.settable).toEqual(
      expect.arrayContaining(['learningRate', 'weightDecay', 'beta1', 'beta2']),
    );
    const run = liveRun(optimizer, 2, { 0: [{ type: 'set', name: 'beta1', value: 0.5 }] });
    expect(run.steps.map((s) => s.hyperparams.beta1)).toEqual([0.9, 0.5]);
  });

  it('a name the optimizer does not own is refused with a warning, and the run goes on', () => {
    const run = liveRun(adam(), 2, { 0: [{ type: 'set', name: 'momentum', value: 0.5 }] });
    expect(run.events.some((e) => e.type === 'warning')).toBe(true);
    expect(run.steps).toHaveLength(2);
  });

  it('swa: its own learning rate from the start step, live-settable as swaLearningRate', () => {
    const optimizer = stochasticWeightAveraging(sgd({ learningRate: 0.1 }), { start: 1, learningRate: 0.05 });
    expect(optimizer.settable).toContain('swaLearningRate');
    const run = liveRun(optimizer, 4, { 1: [{ type: 'set', name: 'swaLearningRate', value: 0.25 }] });
    expect(run.steps.map((s) => s.learningRate)).toEqual([0.1, 0.05, 0.25, 0.25]);
    // 1.2, then x 0.9: 1.08, then x 0.5: 0.54, 0.27.
    expect(run.x).toEqual([1.2, 1.08, 0.54, 0.27].map((v) => expect.closeTo(v, 14)));
    // Equal average of the iterates from step 1 on: (1.08 + 0.54 + 0.27) / 3 = 0.63.
    expect(optimizer.averagedParams()![0]).toBeCloseTo(0.63, 14);
  });

  it('lamb: a live learning rate scales the trust-ratio step (one layer: |step| = lr |x|)', () => {
    // One coordinate: Adam's direction is sign(g) to 1e-6, the ratio |x| / |r|, so x <- x (1 - lr).
    const run = liveRun(lamb({ learningRate: 0.1 }), 3, {
      0: [{ type: 'set', name: 'learningRate', value: 0.5 }],
    });
    expect(run.x[0]).toBeCloseTo(1.5 * 0.9, 5);
    expect(run.x[1]).toBeCloseTo(1.5 * 0.9 * 0.5, 5);
  });

  it("asgd: a live learning rate enters eta at the end of the step, as PyTorch's group lr", () => {
    // lambd 0: eta_1 = 0.1 (x 0.8), set 0.2 at step 0's event: eta_2 still from the old lr (0.1, x 0.8),
    // eta_3 = 0.2 (x 0.6).
    const run = liveRun(asgd({ learningRate: 0.1, lambd: 0 }), 3, {
      0: [{ type: 'set', name: 'learningRate', value: 0.2 }],
    });
    expect(run.x).toEqual([1.2, 0.96, 0.576].map((v) => expect.closeTo(v, 14)));
  });

  it('scheduleFreeSgd, prodigy and sam expose their live hyperparameters', () => {
    expect(scheduleFreeSgd().settable).toEqual(
      expect.arrayContaining(['learningRate', 'beta1', 'weightDecay']),
    );
    expect(prodigy().settable).toEqual(expect.arrayContaining(['learningRate', 'weightDecay']));
    const f = sumOfSquares(1);
    const optimizer = sam(sgd({ learningRate: 0.1 }), { objective: f, rho: 0.05 });
    expect(optimizer.settable).toEqual(expect.arrayContaining(['samRho', 'learningRate']));
    // rho set to 0: plain SGD from the next step (x 0.8).
    const run = liveRun(optimizer, 2, { 0: [{ type: 'set', name: 'samRho', value: 0 }] });
    // Step 1 with rho 0.05: gradient at 1.55 = 3.1, x = 1.5 - 0.31 = 1.19; step 2: x 0.8.
    expect(run.x).toEqual([1.19, 0.952].map((v) => expect.closeTo(v, 14)));
  });
});

describe('live hyperparameters of the optimizers added with issue 21', () => {
  // A 2 x 2 weight matrix and a bias, for the methods that work per block.
  const layout: LayoutBlock[] = [
    { name: 'w', offset: 0, rows: 2, cols: 2, kind: 'weight' },
    { name: 'b', offset: 4, rows: 1, cols: 1, kind: 'bias' },
  ];
  const start = [1.5, -0.5, 0.8, 2, -1];
  const objective = sumOfSquares(start.length);

  /** Each optimizer built with a given learning rate (a number or a schedule). */
  const builders: Record<string, (learningRate: ScheduleLike) => Optimizer> = {
    asgd: (learningRate) => asgd({ learningRate, lambd: 0.01, t0: 2 }),
    adabelief: (learningRate) => adabelief({ learningRate }),
    yogi: (learningRate) => yogi({ learningRate }),
    lamb: (learningRate) => lamb({ learningRate, layout }),
    lars: (learningRate) => lars({ learningRate, layout }),
    adafactor: (learningRate) => adafactor({ learningRate, layout }),
    scheduleFreeSgd: (learningRate) => scheduleFreeSgd({ learningRate }),
    scheduleFreeAdamw: (learningRate) => scheduleFreeAdamw({ learningRate }),
    prodigy: (learningRate) => prodigy({ learningRate }),
    muon: (learningRate) => muon({ learningRate, layout }),
    'sam(adam)': (learningRate) => sam(adam({ learningRate }), { objective, rho: 0.05 }),
  };

  function run(optimizer: Optimizer, commands: Record<number, RunCommand[]> = {}) {
    const control = new Subject<RunCommand>();
    const events: TrainEvent[] = [];
    train({
      objective,
      optimizer,
      params: start,
      steps: 4,
      mode: 'sync',
      control,
      recordParams: true,
    }).subscribe((e) => {
      events.push(e);
      if (e.type === 'step') for (const c of commands[e.step] ?? []) control.next(c);
    });
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    return { events, steps, params: steps.map((s) => s.params!) };
  }

  it.each(Object.entries(builders))(
    '%s: learningRate set at step 1 gives the updates of a rate that changes at step 2',
    (_name, build) => {
      // Oracle: the same optimizer with a schedule that switches at step 2, the step a command
      // sent with step 1's event first applies to.
      const live = run(build(0.01), { 1: [{ type: 'set', name: 'learningRate', value: 0.05 }] });
      const scheduled = run(build((t) => (t < 2 ? 0.01 : 0.05)));
      const constant = run(build(0.01));
      expect(live.steps.map((s) => s.hyperparams.learningRate)).toEqual([0.01, 0.01, 0.05, 0.05]);
      expect(live.params).toEqual(scheduled.params);
      // And it did change the updates (the first two steps are those of the constant rate; ASGD's
      // rate enters eta at the end of a step, so its iterates differ from step 3 on, as PyTorch's).
      expect(live.params.slice(0, 2)).toEqual(constant.params.slice(0, 2));
      expect(live.params[3]).not.toEqual(constant.params[3]);
    },
  );

  it.each(Object.entries(builders))('%s: every settable name is read by the next update', (_name, build) => {
    const optimizer = build(0.01);
    expect(optimizer.settable).toContain('learningRate');
    for (const name of optimizer.settable) {
      const baseline = run(build(0.01));
      const value = (baseline.steps[1]!.hyperparams[name] ?? 0.5) * 0.5 + 0.001;
      const live = run(build(0.01), { 0: [{ type: 'set', name, value }] });
      expect(
        live.events.some((e) => e.type === 'warning'),
        name,
      ).toBe(false);
      expect(live.steps[1]!.hyperparams[name], name).toBe(value);
    }
  });
});
