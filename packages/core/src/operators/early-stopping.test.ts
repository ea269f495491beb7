import { lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EndEvent, TrainEvent } from '../events.js';
import type { Objective } from '../objective.js';
import { leastSquares, rowLoader, sgd } from '../test-fixtures.js';
import { train } from '../train.js';
import { earlyStopping } from './early-stopping.js';
import { epochEvent, startEvent } from './test-events.js';

describe('earlyStopping', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values = {
    s: startEvent(0, [7]),
    a: epochEvent(0, 1, 3, 2.0),
    b: epochEvent(1, 2, 2, 1.5),
    c: epochEvent(2, 3, 1, 1.49),
    d: epochEvent(3, 4, 0.5, 1.6),
    e: epochEvent(4, 5, 0.4, 1.7),
    f: epochEvent(5, 6, 0.3, 1.2),
  };

  it('stops after `patience` epochs without an improvement larger than minDelta', () => {
    // best 1.5 at b; c improves by only 0.01 < minDelta 0.05: waits are c, d -> stop at d (patience 2).
    const end: EndEvent = {
      type: 'end',
      runId: 'r',
      seq: 5,
      time: 4,
      reason: 'early-stopped',
      step: 4,
      epoch: 3,
      params: [7],
      loss: 0.5,
      bestLoss: 1.5,
      source: 'earlyStopping',
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-c-d-e-f-|', values);
      expectObservable(source.pipe(earlyStopping({ patience: 2, minDelta: 0.05 }))).toBe('s-a-b-c-(dZ|)', {
        ...values,
        Z: end,
      });
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('monitors a metric in max mode and unsubscribes early on request', () => {
    const m = {
      s: startEvent(),
      a: epochEvent(0, 1, 1, undefined, { accuracy: 0.5 }),
      b: epochEvent(1, 2, 1, undefined, { accuracy: 0.7 }),
      c: epochEvent(2, 3, 1, undefined, { accuracy: 0.6 }),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-c-|', m);
      const stopped = source.pipe(earlyStopping({ monitor: 'accuracy', mode: 'max', patience: 1 }));
      expectObservable(stopped).toBe('s-a-b-(cZ|)', {
        ...m,
        Z: {
          type: 'end',
          runId: 'r',
          seq: 4,
          time: 3,
          reason: 'early-stopped',
          step: 3,
          epoch: 2,
          params: [0, 0],
          loss: 1,
          bestLoss: 0.7,
          source: 'earlyStopping',
        },
      });
      const early = cold('s-a-b-c-|', m);
      expectObservable(early.pipe(earlyStopping({ monitor: 'accuracy', mode: 'max' })), '^--!').toBe(
        's-a',
        m,
      );
      expectSubscriptions(early.subscriptions).toBe('^--!');
    });
  });

  it('errors, naming what is available, when the monitored value is missing', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const v = { s: startEvent(), a: epochEvent(0, 1, 3) };
      expectObservable(cold('s-a-|', v).pipe(earlyStopping())).toBe(
        's-(a#)',
        v,
        new RangeError('earlyStopping: epoch 0 has no validationLoss (does the run have validation data?)'),
      );
    });
  });

  it('restores the best parameters of a live run', async () => {
    // Training on one point pulls w towards 2; validation wants w = 1, so validation loss falls,
    // then rises once w passes 1: the restored parameters are those of the best epoch.
    const validationLoader = rowLoader([[1]], [1], 1);
    const objective: Objective<import('../objective.js').Batch> = leastSquares(1);
    const events: TrainEvent[] = await lastValueFrom(
      train({
        objective,
        optimizer: sgd(0.2),
        params: [0],
        loader: rowLoader([[1]], [2], 1),
        validation: validationLoader,
        epochs: 50,
        mode: 'sync',
      }).pipe(earlyStopping({ patience: 2, restoreBest: true }), toArray()),
    );
    const epochs = events.filter((e) => e.type === 'epoch');
    const end = events.at(-1) as EndEvent;
    expect(end.reason).toBe('early-stopped');
    const best = Math.min(...epochs.map((e) => (e.type === 'epoch' ? e.validationLoss! : Number.NaN)));
    expect(end.bestLoss).toBe(best);
    // w after k epochs is 2 (1 - 0.8^k); the validation loss 1/2 (w - 1)^2 is smallest at k = 3 (w = 0.976).
    expect(end.params[0]).toBeCloseTo(2 * (1 - 0.8 ** 3), 12);
    expect(end.step).toBe(5);
  });

  it('validates its options', () => {
    expect(() => earlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer, got -1/);
    expect(() => earlyStopping({ mode: 'up' as 'min' })).toThrow(/mode must be 'min' or 'max'/);
  });
});
