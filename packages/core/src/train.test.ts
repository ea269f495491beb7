import { lastValueFrom, Subject, take, tap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { RunCommand } from './commands.js';
import type { EndEvent, StepEvent, TrainEvent } from './events.js';
import type { Batch, Objective } from './objective.js';
import { runControllerOf } from './run-controller.js';
import type { TrainSpec } from './spec.js';
import { bowl, leastSquares, rowLoader, sgd } from './test-fixtures.js';
import { train } from './train.js';

const run = (spec: TrainSpec<never> | TrainSpec<void> | TrainSpec<Batch>) =>
  lastValueFrom((train as (s: typeof spec) => ReturnType<typeof train>)(spec).pipe(toArray()));

/** Events without wall-clock time and run id: what must be identical between identical runs. */
const comparable = (events: TrainEvent[]) => events.map(({ time: _t, runId: _r, ...rest }) => rest);

const points = {
  xs: [
    [1, 0.5],
    [1, -1],
    [1, 2],
    [1, 3.5],
  ],
  ys: [4, -2, 9, 13.5],
};

/**
 * A long sliced run driven through `control`: `react` sees every event (and may send commands);
 * `done` resolves when the run completes.
 */
function controlledRun(react: (event: TrainEvent, control: Subject<RunCommand>) => void) {
  const control = new Subject<RunCommand>();
  const events: TrainEvent[] = [];
  const done = new Promise<void>((resolve) =>
    train({
      objective: bowl,
      optimizer: sgd(0.1),
      params: [1, 1],
      steps: 1e9,
      control,
      sliceMs: 1,
    }).subscribe({
      next: (e) => {
        events.push(e);
        react(e, control);
      },
      complete: resolve,
    }),
  );
  return { control, events, done };
}

describe('train', () => {
  it('emits start, steps, epoch and end events with a gap-free seq', async () => {
    const events = await run({
      objective: leastSquares(2),
      optimizer: sgd(0.05),
      params: [0, 0],
      loader: rowLoader(points.xs, points.ys, 2),
      epochs: 2,
      mode: 'sync',
    });
    expect(events.map((e) => e.type)).toEqual([
      'start',
      'step',
      'step',
      'epoch',
      'step',
      'step',
      'epoch',
      'end',
    ]);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(events.map((e) => e.runId)).size).toBe(1);
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps.map((s) => [s.step, s.epoch, s.batch])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [2, 1, 0],
      [3, 1, 1],
    ]);
    expect(steps[0]!.learningRate).toBe(0.05);
    const end = events.at(-1) as EndEvent;
    expect(end.reason).toBe('completed');
    expect(end.step).toBe(4);
    const start = events[0]!;
    expect(start.type === 'start' && start.config.parameterCount).toBe(2);
    expect(start.type === 'start' && start.config.batchesPerEpoch).toBe(2);
  });

  it('takes a full-batch gradient step that matches the hand-computed one to 1e-12', async () => {
    // f(w) = 1/n sum 1/2 (w.x - y)^2 with w = (0, 0): the gradient is -1/n sum y x.
    // sum y x = 4*(1,0.5) + -2*(1,-1) + 9*(1,2) + 13.5*(1,3.5) = (24.5, 2+2+18+47.25) = (24.5, 69.25)
    // so grad = -(6.125, 17.3125) and w1 = 0.1 * (6.125, 17.3125) = (0.6125, 1.73125).
    // loss at w0 = 1/4 * 1/2 * (16 + 4 + 81 + 182.25) = 35.40625
    const events = await run({
      objective: leastSquares(2),
      optimizer: sgd(0.1),
      params: [0, 0],
      loader: rowLoader(points.xs, points.ys, 4),
      steps: 1,
      mode: 'sync',
    });
    const step = events.find((e): e is StepEvent => e.type === 'step')!;
    expect(step.loss).toBeCloseTo(35.40625, 12);
    expect(step.gradNorm).toBeCloseTo(Math.hypot(6.125, 17.3125), 12);
    const end = events.at(-1) as EndEvent;
    expect(end.params[0]).toBeCloseTo(0.6125, 12);
    expect(end.params[1]).toBeCloseTo(1.73125, 12);
  });

  it('is deterministic: the same spec and seed give identical events and bit-identical parameters', async () => {
    const spec = () => ({
      objective: leastSquares(2),
      optimizer: sgd(0.03),
      params: (rng: { normal(): number }) => [rng.normal(), rng.normal()],
      seed: 42,
      loader: rowLoader(points.xs, points.ys, 3),
      epochs: 5,
      recordParams: true,
    });
    const [a, b] = await Promise.all([run(spec()), run(spec())]);
    expect(comparable(a)).toEqual(comparable(b));
    const pa = Float64Array.from((a.at(-1) as EndEvent).params);
    const pb = Float64Array.from((b.at(-1) as EndEvent).params);
    expect(new Uint8Array(pa.buffer)).toEqual(new Uint8Array(pb.buffer));
    const other = await run({ ...spec(), seed: 7 });
    expect((other.at(-1) as EndEvent).params).not.toEqual((a.at(-1) as EndEvent).params);
  });

  it('is cold: each subscription is an independent run', async () => {
    const run$ = train({ objective: bowl, optimizer: sgd(0.1), params: [1, 1], steps: 3, mode: 'sync' });
    const a = await lastValueFrom(run$.pipe(toArray()));
    const b = await lastValueFrom(run$.pipe(toArray()));
    expect(a[0]!.runId).not.toBe(b[0]!.runId);
    expect(comparable(a)).toEqual(comparable(b));
  });

  it('stops at the next step boundary when unsubscribed (sync mode)', async () => {
    let calls = 0;
    const counted: Objective<void> = {
      dimension: 2,
      loss: (w, b, g) => {
        calls++;
        return bowl.loss(w, b, g);
      },
    };
    const events = await lastValueFrom(
      train({ objective: counted, optimizer: sgd(0.1), params: [1, 1], steps: 1000, mode: 'sync' }).pipe(
        take(3),
        toArray(),
      ),
    );
    expect(events.map((e) => e.type)).toEqual(['start', 'step', 'step']);
    expect(calls).toBe(2);
  });

  it('stops at the next step boundary when unsubscribed (sliced mode)', async () => {
    let calls = 0;
    const counted: Objective<void> = {
      dimension: 2,
      loss: (w, b, g) => {
        calls++;
        return bowl.loss(w, b, g);
      },
    };
    const sub = train({ objective: counted, optimizer: sgd(1e-6), params: [1, 1], steps: 1e9 }).subscribe();
    await new Promise((r) => setTimeout(r, 30));
    sub.unsubscribe();
    const atUnsubscribe = calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(atUnsubscribe).toBeGreaterThan(0);
    expect(calls).toBe(atUnsubscribe);
  });

  it('yields to the event loop between slices: a timer fires while a long run trains', async () => {
    let timerFired = false;
    let timerFiredBeforeEnd = false;
    let steps = 0;
    const run$ = train({ objective: bowl, optimizer: sgd(1e-9), params: [1, 1], steps: 300_000, sliceMs: 4 });
    const done = lastValueFrom(
      run$.pipe(
        tap((e) => {
          if (e.type === 'step') steps++;
          if (e.type === 'end') timerFiredBeforeEnd = timerFired;
        }),
      ),
    );
    // The run is already training (its first slice ran inside subscribe); this timer must still fire before it ends.
    setTimeout(() => (timerFired = true), 1);
    const end = await done;
    expect(end).toMatchObject({ type: 'end', reason: 'completed', step: 300_000 });
    expect(steps).toBe(300_000);
    expect(timerFiredBeforeEnd).toBe(true);
  });

  it('in sync mode, runs to the end inside subscribe', () => {
    let ended = false;
    train({ objective: bowl, optimizer: sgd(0.1), params: [1, 1], steps: 5, mode: 'sync' }).subscribe((e) => {
      if (e.type === 'end') ended = true;
    });
    expect(ended).toBe(true);
  });

  it('ends with diverged and the last finite parameters when the loss blows up', async () => {
    // lr 1.5 on sum x^2: x <- x - 3x = -2x, so |x| doubles each step until it overflows.
    const events = await run({
      objective: bowl,
      optimizer: sgd(1.5),
      params: [1, -1],
      steps: 10_000,
      mode: 'sync',
    });
    const end = events.at(-1) as EndEvent;
    expect(end.reason).toBe('diverged');
    expect(end.params.every(Number.isFinite)).toBe(true);
    expect(Math.abs(end.params[0]!)).toBeGreaterThan(1e150);
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    expect(end.error).toMatch(/non-finite/);
  });

  it('ends with diverged when the objective returns NaN', async () => {
    const nan: Objective<void> = {
      dimension: 1,
      loss: (w, _b, g) => {
        if (g) g[0] = 1;
        return w[0]! < 0.5 ? Number.NaN : w[0]!;
      },
    };
    const events = await run({ objective: nan, optimizer: sgd(0.3), params: [1], steps: 10, mode: 'sync' });
    const end = events.at(-1) as EndEvent;
    expect(end.reason).toBe('diverged');
    expect(end.params[0]).toBeCloseTo(0.4, 12);
    expect(end.step).toBe(2);
  });

  it('applies commands at the next step boundary: set, pause, resume, stop', async () => {
    const { control, events, done } = controlledRun((e, control) => {
      if (e.type === 'step' && e.step === 2)
        control.next({ type: 'set', name: 'learningRate', value: 0.01, source: 'test' });
      if (e.type === 'step' && e.step === 4) control.next({ type: 'pause' });
      if (e.type === 'step' && e.step === 6) control.next({ type: 'stop' });
    });
    await new Promise((r) => setTimeout(r, 20));
    const whilePaused = events.length;
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'paused', step: 5 });
    await new Promise((r) => setTimeout(r, 20));
    expect(events.length).toBe(whilePaused);
    control.next({ type: 'resume', source: 'test' });
    await done;
    const types = events.map((e) => (e.type === 'step' ? e.step : e.type));
    expect(types).toEqual(['start', 0, 1, 2, 'hyperparam', 3, 4, 'status', 'status', 5, 6, 'end']);
    const lrs = events.filter((e): e is StepEvent => e.type === 'step').map((s) => s.learningRate);
    expect(lrs).toEqual([0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01]);
    expect(events.find((e) => e.type === 'hyperparam')).toMatchObject({
      name: 'learningRate',
      value: 0.01,
      previous: 0.1,
      step: 3,
      source: 'test',
    });
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'stopped', step: 7 });
  });

  it('acts on stop and set commands while paused', async () => {
    const { control, events, done } = controlledRun((e, control) => {
      if (e.type === 'step' && e.step === 1) control.next({ type: 'pause' });
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(events.at(-1)).toMatchObject({ type: 'status', status: 'paused' });
    control.next({ type: 'set', name: 'learningRate', value: 0.5 });
    await new Promise((r) => setTimeout(r, 20));
    expect(events.at(-1)).toMatchObject({ type: 'hyperparam', name: 'learningRate', value: 0.5 });
    control.next({ type: 'stop', source: 'dashboard' });
    await done;
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'stopped', step: 2, source: 'dashboard' });
  });

  it('rejects an unknown hyperparameter with a warning and goes on', async () => {
    const control = new Subject<RunCommand>();
    const events: TrainEvent[] = [];
    train({
      objective: bowl,
      optimizer: sgd(0.1),
      params: [1, 1],
      steps: 3,
      control,
      mode: 'sync',
    }).subscribe((e) => {
      events.push(e);
      if (e.type === 'start') control.next({ type: 'set', name: 'beta9', value: 1 });
    });
    expect(events.map((e) => e.type)).toEqual(['start', 'warning', 'step', 'step', 'step', 'end']);
    expect(events[1]).toMatchObject({ message: expect.stringContaining('"learningRate"') });
  });

  it('lets an operator stop the run through its controller, keeping the end event', async () => {
    const events: TrainEvent[] = [];
    train({ objective: bowl, optimizer: sgd(0.1), params: [1, 1], steps: 100, mode: 'sync' }).subscribe(
      (e) => {
        events.push(e);
        if (e.type === 'step' && e.step === 1)
          runControllerOf(events[0]!)!.send({ type: 'stop', reason: 'converged', source: 'op' });
      },
    );
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'converged', step: 2, source: 'op' });
  });

  it('reports errors from the objective as an end event, then errors', async () => {
    const broken: Objective<void> = {
      dimension: 1,
      loss: () => {
        throw new Error('boom');
      },
    };
    const events: TrainEvent[] = [];
    let error: unknown;
    train({ objective: broken, optimizer: sgd(0.1), params: [1], steps: 3, mode: 'sync' }).subscribe({
      next: (e) => events.push(e),
      error: (e) => (error = e),
    });
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'error', error: 'boom' });
    expect((error as Error).message).toBe('boom');
  });

  it('evaluates validation data and metrics at the end of each epoch', async () => {
    const events = await run({
      objective: leastSquares(2),
      optimizer: sgd(0.05),
      params: [0, 0],
      loader: rowLoader(points.xs, points.ys, 4),
      validation: rowLoader([[1, 1]], [5], 1),
      metrics: (w) => ({ slope: w[1]! }),
      epochs: 1,
      mode: 'sync',
    });
    const epoch = events.find((e) => e.type === 'epoch')!;
    const end = events.at(-1) as EndEvent;
    const [b, m] = end.params as [number, number];
    expect(epoch).toMatchObject({ validationLoss: 0.5 * (b + m - 5) ** 2, metrics: { slope: m } });
  });

  it('resumes from saved optimizer state bit-identically', async () => {
    const spec = {
      objective: leastSquares(2),
      optimizer: sgd(0.05),
      loader: rowLoader(points.xs, points.ys, 1),
      mode: 'sync' as const,
      returnState: true,
    };
    const full = await run({ ...spec, params: [0, 0], steps: 10 });
    const half = await run({ ...spec, params: [0, 0], steps: 6 });
    const halfEnd = half.at(-1) as EndEvent;
    const rest = await run({
      ...spec,
      params: halfEnd.params,
      steps: 10,
      resume: { step: 6, optimizerState: halfEnd.optimizerState },
    });
    expect((rest.at(-1) as EndEvent).params).toEqual((full.at(-1) as EndEvent).params);
    expect(rest.filter((e) => e.type === 'step').map((e) => (e as StepEvent).batch)).toEqual([2, 3, 0, 1]);
  });

  it('validates the spec, naming the field', () => {
    const base = { objective: bowl, optimizer: sgd(0.1), params: [1, 1] };
    expect(() => train({ ...base })).toThrow(/spec\.epochs or spec\.steps is required/);
    expect(() => train({ ...base, steps: -1 })).toThrow(/spec\.steps must be a non-negative integer, got -1/);
    expect(() => train({ ...base, params: [1], steps: 1 })).toThrow(
      /spec\.params has length 1, the objective has 2/,
    );
    expect(() => train({ ...base, epochs: 2 })).toThrow(/spec\.epochs needs spec\.loader/);
  });
});
