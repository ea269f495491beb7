import { lastValueFrom, map, Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { RunCommand } from './commands.js';
import type { EndEvent, EpochEvent, TrainEvent } from './events.js';
import type { Batch } from './objective.js';
import { earlyStopping } from './operators/early-stopping.js';
import { runControllerOf } from './run-controller.js';
import { type CheckpointInfo, checkStateShape, type RunState } from './run-state.js';
import type { FeedbackController, TrainSpec } from './spec.js';
import { bowl, leastSquares, momentum, sgd, shuffledLoader } from './test-fixtures.js';
import { train } from './train.js';

const xs = Array.from({ length: 10 }, (_, i) => [1, i / 3 - 1]);
const ys = xs.map(([a, b]) => 2 * a! - 3 * b! + 0.1 * Math.sin(7 * b!));

function spec(extra: Partial<TrainSpec<Batch>> = {}): TrainSpec<Batch> {
  return {
    objective: leastSquares(2),
    optimizer: momentum(0.05, 0.9),
    params: [0, 0],
    loader: shuffledLoader(xs, ys, 3, 11),
    epochs: 6,
    runId: 'r',
    mode: 'sync',
    ...extra,
  };
}

async function collect(s: TrainSpec<Batch>, pipe = (o: Observable<TrainEvent>) => o) {
  return lastValueFrom(pipe(train(s)).pipe(toArray()));
}

/** Saved states, as they come back from a JSON file. */
function recorder() {
  const saved: { state: RunState; info: CheckpointInfo }[] = [];
  return {
    saved,
    save: (state: RunState, info: CheckpointInfo) =>
      saved.push({ state: JSON.parse(JSON.stringify(state)) as RunState, info }),
  };
}

const bits = (v: ArrayLike<number>) => Array.from(new Uint32Array(Float64Array.from(v).buffer));
const withoutTime = (events: TrainEvent[]) => events.map(({ time: _t, ...rest }) => rest);

describe('checkpoints and restore', () => {
  it('every checkpoint restores to the same events and bit-identical parameters', async () => {
    const whole = await collect(spec());
    const rec = recorder();
    await collect(spec({ checkpoint: { everySteps: 1, save: rec.save } }));
    const periodic = rec.saved.filter((s) => s.info.trigger === 'steps');
    // 4 batches an epoch, 24 steps: a checkpoint at every step boundary 0..24 (24: before the
    // last epoch's end, which is still to come).
    expect(periodic.map((s) => s.state.step)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    for (const { state } of periodic) {
      const resumed = await collect(spec({ restore: state, params: [9, 9] }));
      expect(resumed[0]).toMatchObject({ type: 'start', seq: 0, step: state.step });
      // After the replayed start event, the events are those of the uninterrupted run from state.seq on.
      expect(withoutTime(resumed.slice(1))).toEqual(withoutTime(whole.filter((e) => e.seq >= state.seq)));
      expect(bits((resumed.at(-1) as EndEvent).params)).toEqual(bits((whole.at(-1) as EndEvent).params));
    }
  });

  it('keeps live overrides and a controller state (a plateau-like counter) across a restore', async () => {
    // Halves the rate after every second epoch: its count is state the checkpoint must keep.
    const halving: FeedbackController = (events) =>
      new Observable<RunCommand>((subscriber) => {
        let epochs = 0;
        let rate = 0;
        return events.subscribe((e) => {
          if (e.type === 'start') {
            const saved = runControllerOf(e)!.keepState('halving', () => ({ epochs, rate })) as
              | { epochs: number; rate: number }
              | undefined;
            if (saved) ({ epochs, rate } = saved);
          }
          if (e.type === 'step') rate = e.learningRate;
          if (e.type === 'epoch' && ++epochs % 2 === 0)
            subscriber.next({ type: 'set', name: 'learningRate', value: rate / 2, source: 'halving' });
        });
      });
    // A user's override at step 2, before any checkpoint used below.
    const control = (): Observable<RunCommand> =>
      new Observable((subscriber) => {
        subscriber.next({ type: 'set', name: 'learningRate', value: 0.03, source: 'user' });
      });
    const base = spec({ controllers: [halving], control: control(), epochs: 7 });
    const whole = await collect(base);
    const rec = recorder();
    await collect({ ...base, checkpoint: { everySteps: 5, save: rec.save } });
    const states = rec.saved.filter((s) => s.info.trigger === 'steps').map((s) => s.state);
    expect(states.length).toBeGreaterThan(4);
    for (const state of states.slice(1)) {
      expect(state.overrides.learningRate).toBeDefined();
      expect(Object.keys(state.kept)).toEqual(['halving']);
      // The restored run gets no user command this time: the override comes from the state.
      const resumed = await collect({ ...base, control: new Observable(), restore: state });
      expect(withoutTime(resumed.slice(1))).toEqual(withoutTime(whole.filter((e) => e.seq >= state.seq)));
    }
    const rates = whole.filter((e) => e.type === 'hyperparam').map((e) => e.value);
    expect(rates).toEqual([0.03, 0.015, 0.0075, 0.00375]);
  });

  it('keeps early stopping state, so a restored run stops at the same epoch', async () => {
    const stopping = (o: Observable<TrainEvent>) =>
      o.pipe(earlyStopping({ monitor: 'loss', patience: 2, minDelta: 0.5 }));
    const base = spec({ epochs: 40, optimizer: momentum(0.01, 0.5) });
    const whole = await collect(base, stopping);
    const end = whole.at(-1) as EndEvent;
    expect(end.reason).toBe('early-stopped');
    const rec = recorder();
    await collect({ ...base, checkpoint: { everyEpochs: 1, save: rec.save } }, stopping);
    for (const { state } of rec.saved.filter((s) => s.info.trigger === 'epochs')) {
      expect(state.kept.earlyStopping).toBeDefined();
      const resumed = await collect({ ...base, restore: state }, stopping);
      expect(withoutTime(resumed.slice(1))).toEqual(withoutTime(whole.filter((e) => e.seq >= state.seq)));
    }
  });

  it('saves a best checkpoint when the monitored epoch value improves by more than minDelta', async () => {
    const rec = recorder();
    const events = await collect(
      spec({
        optimizer: momentum(0.2, 0.9),
        epochs: 12,
        checkpoint: { best: { monitor: 'loss', minDelta: 0.01 }, atEnd: false, save: rec.save },
      }),
    );
    // The rule written out independently from the epoch events.
    let best = Number.POSITIVE_INFINITY;
    const expected: number[] = [];
    for (const e of events) {
      if (e.type !== 'epoch') continue;
      if (e.loss < best - 0.01) {
        best = e.loss;
        expected.push(e.epoch);
      }
    }
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(12);
    expect(rec.saved.map((s) => s.info.trigger)).toEqual(expected.map(() => 'best'));
    // Each best state sits just after its epoch: at the start of the next one.
    expect(rec.saved.map((s) => s.state.epoch)).toEqual(expected.map((e) => e + 1));
    expect(rec.saved.map((s) => s.info.value)).toEqual(
      expected.map((n) => (events.find((e) => e.type === 'epoch' && e.epoch === n) as EpochEvent).loss),
    );
  });

  it('saves every n epochs and at the end, but not the end of a diverged run', async () => {
    const rec = recorder();
    await collect(spec({ checkpoint: { everyEpochs: 2, save: rec.save } }));
    expect(rec.saved.map((s) => [s.info.trigger, s.state.epoch, s.state.batch])).toEqual([
      ['epochs', 2, 0],
      ['epochs', 4, 0],
      ['end', 6, 0],
    ]);
    expect(rec.saved.at(-1)!.info.reason).toBe('completed');
    const diverging = recorder();
    const events = await collect({
      ...spec({ optimizer: sgd(1e30), checkpoint: { everySteps: 2, save: diverging.save } }),
    });
    expect((events.at(-1) as EndEvent).reason).toBe('diverged');
    expect(diverging.saved.map((s) => s.info.trigger)).not.toContain('end');
  });

  it('a run that ended after its last epoch resumes with more epochs as if it had never stopped', async () => {
    const whole = await collect(spec({ epochs: 6 }));
    const rec = recorder();
    await collect(spec({ epochs: 3, checkpoint: { save: rec.save } }));
    const end = rec.saved.find((s) => s.info.trigger === 'end')!.state;
    expect(end).toMatchObject({ epoch: 3, batch: 0, epochLoss: 0, epochRows: 0 });
    const resumed = await collect(spec({ epochs: 6, restore: end }));
    const epochs = (events: TrainEvent[]) =>
      events.filter((e): e is EpochEvent => e.type === 'epoch' && e.epoch >= 3).map((e) => [e.epoch, e.loss]);
    // The 4th epoch's loss averages its own batches only, not also the 3rd epoch's.
    expect(epochs(resumed)).toEqual(epochs(whole));
    expect(bits((resumed.at(-1) as EndEvent).params)).toEqual(bits((whole.at(-1) as EndEvent).params));
  });

  it('a restored run continues seq and time, and keeps its runId', async () => {
    const rec = recorder();
    const first = await collect(spec({ steps: 7, checkpoint: { save: rec.save } }));
    const end = rec.saved.find((s) => s.info.trigger === 'end')!.state;
    expect(end.seq).toBe(first.length);
    const resumed = await collect(spec({ restore: end, runId: 'other' }));
    expect(resumed.every((e) => e.runId === 'r')).toBe(true);
    expect(resumed[1]!.seq).toBe(first.length);
    expect(resumed[1]!.time).toBeGreaterThanOrEqual(end.time);
  });

  it('refuses a state that does not fit the run, naming the field', async () => {
    const rec = recorder();
    await collect(spec({ steps: 3, checkpoint: { save: rec.save } }));
    const state = rec.saved.at(-1)!.state;
    expect(() => train(spec({ restore: { ...state, format: 'x' } as unknown as RunState }))).toThrow(
      'train: spec.restore is not a usable run state: run state: format must be "downhill.run-state"',
    );
    expect(() => train(spec({ restore: state, objective: leastSquares(3) }))).toThrow(
      'params has 2 values, the objective has 3 parameters',
    );
    const wrongBuffer = { ...state, optimizerState: { velocity: { $f64: [0, 0, 0] } } } as RunState;
    expect(() => train(spec({ restore: wrongBuffer }))).toThrow(
      'optimizerState.velocity should be Float64Array(2), got Float64Array(3)',
    );
    const otherOptimizer = { ...state, optimizerState: { count: 3 } } as RunState;
    expect(() => train(spec({ restore: otherOptimizer }))).toThrow(
      'optimizerState should have the fields velocity, got count',
    );
    // The same check for the older resume option.
    expect(() => train(spec({ resume: { step: 2, optimizerState: { count: 3 } } }))).toThrow(
      'train: spec.resume has an unusable optimizer state: optimizerState should have the fields velocity, got count',
    );
  });

  it('checks optimizer state shapes, allowing buffers a transform allocates on its first update', () => {
    const fresh = { lazy: new Float64Array(0), fixed: new Float64Array(3), steps: [0, { n: 1 }] };
    const ok = { lazy: new Float64Array(3), fixed: new Float64Array(3), steps: [4, { n: 2 }] };
    expect(() => checkStateShape(fresh, ok, { dimension: 3 })).not.toThrow();
    expect(() =>
      checkStateShape(fresh, { ...ok, lazy: new Float64Array(0) }, { dimension: 3 }),
    ).not.toThrow();
    expect(() => checkStateShape(fresh, { ...ok, lazy: new Float64Array(2) }, { dimension: 3 })).toThrow(
      'optimizerState.lazy should be Float64Array(0 or 3), got Float64Array(2)',
    );
    expect(() => checkStateShape(fresh, { ...ok, fixed: new Float32Array(3) }, { dimension: 3 })).toThrow(
      'optimizerState.fixed should be Float64Array(3), got Float32Array(3)',
    );
    expect(() => checkStateShape(fresh, { ...ok, steps: [4, { n: null }] }, { dimension: 3 })).toThrow(
      'optimizerState.steps[1].n should be number, got null',
    );
  });

  it('saves every n seconds of a sliced run', async () => {
    const rec = recorder();
    const slow = leastSquares(2);
    const objective = {
      ...slow,
      loss: (w: Float64Array, b: Batch, g?: Float64Array) => {
        const until = performance.now() + 1;
        while (performance.now() < until);
        return slow.loss(w, b, g);
      },
    };
    await collect(
      spec({
        objective,
        mode: 'sliced',
        epochs: 20,
        checkpoint: { everySeconds: 0.015, atEnd: false, save: rec.save },
      }),
    );
    const times = rec.saved.map((s) => s.state.time);
    expect(rec.saved.every((s) => s.info.trigger === 'seconds')).toBe(true);
    expect(times.length).toBeGreaterThan(1);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(15);
  });

  it('refuses a state whose position does not fit the loader', async () => {
    const rec = recorder();
    await collect(spec({ steps: 3, checkpoint: { save: rec.save } }));
    const state = rec.saved.at(-1)!.state;
    expect(state.batch).toBe(3);
    expect(() => train(spec({ restore: state, loader: shuffledLoader(xs, ys, 5, 11) }))).toThrow(
      'it is at batch 3 of epoch 0, the loader has 2 batches an epoch (did the batch size or the data change?)',
    );
  });

  it('refuses null and non-numeric initial parameters instead of reading them as 0', () => {
    expect(() =>
      train({ objective: bowl, optimizer: sgd(0.1), params: [1, null as unknown as number], steps: 1 }),
    ).toThrow('train: spec.params[1] must be a finite number, got null');
  });

  it('checks the checkpoint options', () => {
    const save = () => undefined;
    expect(() => train(spec({ checkpoint: { everySteps: 0, save } }))).toThrow(
      'spec.checkpoint.everySteps must be a positive integer',
    );
    expect(() => train(spec({ checkpoint: { best: { mode: 'up' as 'min' }, save } }))).toThrow(
      "spec.checkpoint.best.mode must be 'min' or 'max'",
    );
    expect(() =>
      train({
        objective: bowl,
        optimizer: sgd(0.1),
        params: [1, 1],
        steps: 3,
        checkpoint: { best: {}, save },
      }),
    ).toThrow('spec.checkpoint.best needs spec.loader');
  });

  it('a throwing save ends the run with an error', async () => {
    const events: TrainEvent[] = [];
    await expect(
      lastValueFrom(
        train(
          spec({
            checkpoint: {
              everySteps: 3,
              save: () => {
                throw new Error('disk full');
              },
            },
          }),
        ).pipe(map((e) => events.push(e))),
      ),
    ).rejects.toThrow('disk full');
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'error', error: 'disk full' });
  });
});
