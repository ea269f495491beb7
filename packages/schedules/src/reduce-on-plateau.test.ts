import { type HyperparamEvent, type RunState, type StepEvent, type TrainEvent, train } from '@downhill/core';
import { lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { reduceOnPlateau } from './reduce-on-plateau.js';
import { epochEvent, startEvent, stepEvent } from './test-events.js';
import { batches, logisticData, logisticObjective } from './test-logistic.js';
import { testSgd } from './test-sgd.js';

const set = (value: number) => ({ type: 'set', name: 'learningRate', value, source: 'reduceOnPlateau' });

describe('reduceOnPlateau', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('patience (PyTorch): reduces at the (patience + 1)-th epoch without a relative improvement', () => {
    // threshold 0.1 rel: better means < best * 0.9. a = 1.0 is the best; b 0.95, c 0.92, d 0.93 are
    // bad epochs 1, 2, 3; 3 > patience 2 -> lr 1 * 0.5 at d. e = 0.5 < 0.9 is better.
    const v = {
      s: startEvent(),
      t: stepEvent(0, 1, 1),
      a: epochEvent(0, 1.0),
      b: epochEvent(1, 0.95),
      c: epochEvent(2, 0.92),
      d: epochEvent(3, 0.93),
      e: epochEvent(4, 0.5),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events = cold<TrainEvent>('st-a-b-c-d-e-|', v);
      const commands = reduceOnPlateau({ patience: 2, factor: 0.5, threshold: 0.1 })(events);
      expectObservable(commands).toBe('---------x---|', { x: set(0.5) });
      expectSubscriptions(events.subscriptions).toBe('^------------!');
    });
  });

  it('threshold modes: the same values are a plateau with rel 0.1 and an improvement with abs 0.01', () => {
    // abs 0.01: better means < best - 0.01. 0.95 < 0.99 and 0.93 < 0.94 improve; only 0.935 (bad 1) and
    // 0.94 (bad 2 > patience 1) are bad -> one reduction at f. rel 0.1 (better means < 0.9) sees bad
    // epochs from b on: reductions at c (bad 2) and f (bad 2 again after the reset).
    const v = {
      s: startEvent(),
      t: stepEvent(0, 1, 1),
      a: epochEvent(0, 1.0),
      b: epochEvent(1, 0.95),
      c: epochEvent(2, 0.93),
      d: epochEvent(3, 0.935),
      f: epochEvent(4, 0.94),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const rel = cold<TrainEvent>('st-a-b-c-d-f-|', v);
      expectObservable(reduceOnPlateau({ patience: 1, factor: 0.5, threshold: 0.1 })(rel)).toBe(
        '-------x---y-|',
        { x: set(0.5), y: set(0.25) },
      );
      const abs = cold<TrainEvent>('st-a-b-c-d-f-|', v);
      expectObservable(
        reduceOnPlateau({ patience: 1, factor: 0.5, threshold: 0.01, thresholdMode: 'abs' })(abs),
      ).toBe('-----------x-|', { x: set(0.5) });
      expectSubscriptions(abs.subscriptions).toBe('^------------!');
    });
  });

  it('threshold modes in max mode: rel compares with best * (1 + t), abs with best + t', () => {
    const v = {
      s: startEvent(),
      t: stepEvent(0, 1, 0.2),
      a: epochEvent(0, undefined, { accuracy: 0.5 }),
      b: epochEvent(1, undefined, { accuracy: 0.54 }),
    };
    // rel 0.1: 0.54 is not above 0.55 -> bad 1 > patience 0. abs 0.01: 0.54 > 0.51 is better.
    scheduler.run(({ cold, expectObservable }) => {
      const opts = { monitor: 'accuracy', mode: 'max' as const, patience: 0, factor: 0.5 };
      expectObservable(reduceOnPlateau({ ...opts, threshold: 0.1 })(cold('stab|', v))).toBe('---x|', {
        x: set(0.1),
      });
      expectObservable(
        reduceOnPlateau({ ...opts, threshold: 0.01, thresholdMode: 'abs' })(cold('stab|', v)),
      ).toBe('----|');
    });
  });

  it('cooldown (PyTorch): bad epochs inside the cooldown are forgotten', () => {
    // Constant value 1; patience 1, cooldown 2. e0 best; e1 bad 1; e2 bad 2 > 1 -> reduce, cooldown 2;
    // e3, e4 in cooldown (count reset); e5 bad 1; e6 bad 2 -> reduce again (0.5 -> 0.25).
    const v: Record<string, TrainEvent> = { s: startEvent(), t: stepEvent(0, 1, 1) };
    for (let i = 0; i <= 6; i++) v[String(i)] = epochEvent(i, 1);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events = cold('st0123456|', v);
      expectObservable(reduceOnPlateau({ patience: 1, cooldown: 2, factor: 0.5 })(events)).toBe(
        '----x---y|',
        {
          x: set(0.5),
          y: set(0.25),
        },
      );
      expectSubscriptions(events.subscriptions).toBe('^--------!');
    });
  });

  it('cooldown and patience (Keras): reduces after `patience` bad epochs; cooldown c ignores c - 1 in full', () => {
    // Same events, Keras rule. e0 best; e1 wait 1 >= 1 -> reduce, cooldown 2; e2: cooldown -> 1, still in
    // cooldown: ignored; e3: cooldown -> 0, wait 1 -> reduce; e4 ignored; e5 reduce; e6 ignored.
    const v: Record<string, TrainEvent> = { s: startEvent(), t: stepEvent(0, 1, 1) };
    for (let i = 0; i <= 6; i++) v[String(i)] = epochEvent(i, 1);
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(
        reduceOnPlateau({ semantics: 'keras', patience: 1, cooldown: 2, factor: 0.5 })(cold('st0123456|', v)),
      ).toBe('---x-y-z-|', { x: set(0.5), y: set(0.25), z: set(0.125) });
    });
  });

  it('min_lr and eps: stops sending once the reduction would be smaller than eps', () => {
    // lr 0.5, factor 0.5, minLr 0.3: max(0.25, 0.3) = 0.3; next time max(0.15, 0.3) = 0.3, a change of 0 <= eps.
    const v: Record<string, TrainEvent> = { s: startEvent(), t: stepEvent(0, 1, 0.5) };
    for (let i = 0; i <= 3; i++) v[String(i)] = epochEvent(i, 1);
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(reduceOnPlateau({ patience: 0, factor: 0.5, minLr: 0.3 })(cold('st0123|', v))).toBe(
        '---x--|',
        { x: set(0.3) },
      );
    });
  });

  it('min_lr (Keras): reduces only while the rate is above minLr', () => {
    // lr 0.5, factor 0.5, minLr 0.3, patience 1: e1 -> max(0.25, 0.3) = 0.3; from then on 0.3 > 0.3 fails.
    const v: Record<string, TrainEvent> = { s: startEvent(), t: stepEvent(0, 1, 0.5) };
    for (let i = 0; i <= 3; i++) v[String(i)] = epochEvent(i, 1);
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(
        reduceOnPlateau({ semantics: 'keras', patience: 1, factor: 0.5, minLr: 0.3 })(cold('st0123|', v)),
      ).toBe('---x--|', { x: set(0.3) });
    });
  });

  it('errors when the run reports no rate to reduce', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const events = cold('s-t-a-|', {
        s: startEvent(),
        t: stepEvent(0, 1, Number.NaN),
        a: epochEvent(0, 1),
      });
      expectObservable(reduceOnPlateau({ patience: 0 })(events)).toBe(
        '----#',
        undefined,
        new RangeError(
          "reduceOnPlateau: no learningRate in the run's step events before epoch 0 (does the optimizer have one?)",
        ),
      );
    });
  });

  it('reads the rate in use from the step events, and unsubscribes from the run when unsubscribed early', () => {
    // A step after the first reduction reports 0.8 (someone else set it): the next reduction halves 0.8.
    const v: Record<string, TrainEvent> = {
      s: startEvent(),
      t: stepEvent(0, 1, 1),
      u: stepEvent(1, 1, 0.8),
      a: epochEvent(0, 1),
      b: epochEvent(1, 1),
      c: epochEvent(2, 1),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events = cold('s-t-a-b-u-c-|', v);
      expectObservable(reduceOnPlateau({ patience: 0, factor: 0.5 })(events)).toBe('------x---y-|', {
        x: set(0.5),
        y: set(0.4),
      });
      const early = cold('s-t-a-b-u-c-|', v);
      expectObservable(reduceOnPlateau({ patience: 0, factor: 0.5 })(early), '^------!').toBe('------x', {
        x: set(0.5),
      });
      expectSubscriptions(early.subscriptions).toBe('^------!');
    });
  });

  it('errors, naming what the epoch carries, when the monitored value is missing', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events = cold('s-t-a-|', { s: startEvent(), t: stepEvent(0, 1, 1), a: epochEvent(0, undefined) });
      expectObservable(reduceOnPlateau()(events)).toBe(
        '----#',
        undefined,
        new RangeError(
          'reduceOnPlateau: epoch 0 has no "validationLoss" (does the run have validation data?); available: loss',
        ),
      );
      expectSubscriptions(events.subscriptions).toBe('^---!');
    });
  });

  it('validates its options and describes itself', () => {
    expect(() => reduceOnPlateau({ factor: 1 })).toThrow(
      'reduceOnPlateau: factor must be a finite number in (0, 1), got 1',
    );
    expect(() => reduceOnPlateau({ patience: -1 })).toThrow(
      'reduceOnPlateau: patience must be an integer >= 0, got -1',
    );
    expect(() => reduceOnPlateau({ thresholdMode: 'percent' as never })).toThrow(
      "reduceOnPlateau: thresholdMode must be one of 'rel', 'abs', got \"percent\"",
    );
    expect(reduceOnPlateau({ semantics: 'keras' }).description).toEqual({
      name: 'reduceOnPlateau',
      monitor: 'validationLoss',
      hyperparameter: 'learningRate',
      semantics: 'keras',
      mode: 'min',
      thresholdMode: 'abs',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      cooldown: 0,
      minLr: 0,
      eps: 1e-8,
    });
  });

  it('changes the learning rate of a live train() run; the step events show the new rate', async () => {
    // A metric that never improves: epoch 0 sets the best, epochs 1 and 2 are bad (2 > patience 1),
    // so the set command is sent at the end of epoch 2 and every step of epoch 3 uses 0.1 * 0.5
    // (epoch 3 is bad 1 of the next count: no second reduction).
    const data = logisticData({ rows: 64, features: 3, seed: 11 });
    const loader = batches(data, 16); // 4 steps per epoch
    for (const mode of ['sync', 'sliced'] as const) {
      const events = await lastValueFrom(
        train({
          objective: logisticObjective(data.cols),
          optimizer: testSgd(0.1),
          params: new Float64Array(data.cols),
          loader,
          epochs: 4,
          metrics: () => ({ flat: 1 }),
          controllers: [reduceOnPlateau({ monitor: 'flat', patience: 1, factor: 0.5 })],
          mode,
        }).pipe(toArray()),
      );
      const steps = events.filter((e): e is StepEvent => e.type === 'step');
      expect(steps.map((e) => e.learningRate)).toEqual([...Array(12).fill(0.1), ...Array(4).fill(0.05)]);
      expect(steps.map((e) => e.hyperparams.learningRate)).toEqual(steps.map((e) => e.learningRate));
      const changes = events.filter((e): e is HyperparamEvent => e.type === 'hyperparam');
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        step: 12,
        name: 'learningRate',
        value: 0.05,
        previous: 0.1,
        source: 'reduceOnPlateau',
      });
      // The change is recorded after epoch 2's event and before the first step that uses it.
      const at = events.indexOf(changes[0]!);
      expect(events[at - 1]).toMatchObject({ type: 'epoch', epoch: 2 });
      expect(events[at + 1]).toMatchObject({ type: 'step', step: 12, learningRate: 0.05 });
      expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'completed' });
    }
  });

  it('keeps its counters in checkpoints: a run restored at any step reduces at the same steps', async () => {
    const data = logisticData({ rows: 64, features: 3, seed: 11 });
    const base = {
      objective: logisticObjective(data.cols),
      optimizer: testSgd(0.1),
      params: new Float64Array(data.cols),
      loader: batches(data, 16),
      epochs: 12,
      runId: 'plateau',
      mode: 'sync' as const,
    };
    const controller = () => [reduceOnPlateau({ monitor: 'score', patience: 1, factor: 0.5 })];
    // Improves for four epochs, then flat: with patience 1 (PyTorch) the rate halves after
    // epochs 5, 7, 9 and 11, i.e. from steps 24, 32, 40 and 48 (4 steps an epoch).
    const metricsFrom = (start: number) => {
      let calls = start;
      return () => ({ score: Math.max(4 - calls++, 1) });
    };
    const whole = await lastValueFrom(
      train({ ...base, metrics: metricsFrom(0), controllers: controller() }).pipe(toArray()),
    );
    const rates = whole.filter((e): e is HyperparamEvent => e.type === 'hyperparam').map((e) => e.step);
    expect(rates).toEqual([24, 32, 40, 48]);
    const saved: RunState[] = [];
    await lastValueFrom(
      train({
        ...base,
        metrics: metricsFrom(0),
        controllers: controller(),
        checkpoint: { everySteps: 6, save: (state) => saved.push(JSON.parse(JSON.stringify(state))) },
      }).pipe(toArray()),
    );
    const strip = (events: TrainEvent[]) => events.map(({ time: _t, ...rest }) => rest);
    for (const state of saved.slice(0, -1)) {
      expect(state.kept.reduceOnPlateau).toBeDefined();
      const resumed = await lastValueFrom(
        train({ ...base, metrics: metricsFrom(state.epoch), controllers: controller(), restore: state }).pipe(
          toArray(),
        ),
      );
      expect(strip(resumed.slice(1))).toEqual(strip(whole.filter((e) => e.seq >= state.seq)));
    }
  });
});
