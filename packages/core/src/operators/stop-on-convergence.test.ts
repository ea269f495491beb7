import { lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EndEvent } from '../events.js';
import { bowl, sgd } from '../test-fixtures.js';
import { train } from '../train.js';
import { stopOnConvergence } from './stop-on-convergence.js';
import { epochEvent, startEvent, stepEvent } from './test-events.js';

describe('stopOnConvergence', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('ends a replayed run with a synthesised end event once the loss settles for `patience` steps', () => {
    const values = {
      s: startEvent(0, [9, 9]),
      a: stepEvent(0, 5, [1, 1]),
      b: stepEvent(1, 4.95, [2, 2]),
      c: stepEvent(2, 4.0, [3, 3]),
      d: stepEvent(3, 3.99, [4, 4]),
      e: stepEvent(4, 3.985, [5, 5]),
      f: stepEvent(5, 3.98),
    };
    const end: EndEvent = {
      type: 'end',
      runId: 'r',
      seq: 6,
      time: 4,
      reason: 'converged',
      step: 5,
      epoch: 0,
      params: [5, 5],
      loss: 3.985,
      source: 'stopOnConvergence',
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // |4.95 - 5| = 0.05 is not below 0.05; |3.99 - 4| and |3.985 - 3.99| are: patience 2 is met at e.
      const source = cold('s-a-b-c-d-e-f-|', values);
      expectObservable(source.pipe(stopOnConvergence({ epsilon: 0.05, patience: 2 }))).toBe(
        's-a-b-c-d-(eZ|)',
        { ...values, Z: end },
      );
      expectSubscriptions(source.subscriptions).toBe('^---------!');
    });
  });

  it('watches epoch losses when asked, and unsubscribes early on request', () => {
    const values = {
      s: startEvent(),
      x: epochEvent(0, 1, 2),
      y: epochEvent(1, 2, 1),
      z: epochEvent(2, 3, 0.5),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-x-y-z-|', values);
      expectObservable(source.pipe(stopOnConvergence({ epsilon: 0.1, on: 'epoch' })), '^---!').toBe(
        's-x-',
        values,
      );
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('passes errors through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { s: startEvent() };
      expectObservable(cold('s-#', values).pipe(stopOnConvergence({ epsilon: 1 }))).toBe('s-#', values);
    });
  });

  it('stops a live run through its controller: the run emits its own end event', async () => {
    // On sum x^2 with lr 0.25, x halves every step and the loss quarters: the change falls below
    // 1e-6 once the loss is about 1.3e-6.
    const events = await lastValueFrom(
      train({ objective: bowl, optimizer: sgd(0.25), params: [1, 1], steps: 1000, mode: 'sync' }).pipe(
        stopOnConvergence({ epsilon: 1e-6, patience: 1 }),
        toArray(),
      ),
    );
    const end = events.at(-1) as EndEvent;
    expect(end).toMatchObject({ type: 'end', reason: 'converged', source: 'stopOnConvergence' });
    expect(end.step).toBeLessThan(20);
    expect(end.params[0]).toBe(0.5 ** end.step);
    expect(events.filter((e) => e.type === 'end')).toHaveLength(1);
  });

  it('validates its options', () => {
    expect(() => stopOnConvergence({ epsilon: -1 })).toThrow(/epsilon must be a finite number >= 0, got -1/);
    expect(() => stopOnConvergence({ epsilon: 1, patience: 0 })).toThrow(
      /patience must be a positive integer, got 0/,
    );
  });
});
