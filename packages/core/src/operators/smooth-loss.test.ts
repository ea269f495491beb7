import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { smoothLoss } from './smooth-loss.js';
import { startEvent, stepEvent } from './test-events.js';

describe('smoothLoss', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("adds TensorBoard's debiased EMA to step events", () => {
    // weight 0.5, losses 4, 2, NaN, 8 (hand-computed):
    // k=1: last = 0.5*0 + 0.5*4 = 2, debias 1-0.5 = 0.5 -> 4
    // k=2: last = 0.5*2 + 0.5*2 = 2, debias 1-0.25 = 0.75 -> 8/3
    // NaN passes through without advancing
    // k=3: last = 0.5*2 + 0.5*8 = 5, debias 1-0.125 = 0.875 -> 40/7
    const s = startEvent();
    const values = {
      s,
      a: stepEvent(0, 4),
      b: stepEvent(1, 2),
      c: stepEvent(2, Number.NaN),
      d: stepEvent(3, 8),
    };
    const expected = {
      s,
      a: { ...values.a, smoothedLoss: 4 },
      b: { ...values.b, smoothedLoss: 8 / 3 },
      c: { ...values.c, smoothedLoss: Number.NaN },
      d: { ...values.d, smoothedLoss: 40 / 7 },
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-c-d-|', values);
      expectObservable(source.pipe(smoothLoss({ weight: 0.5 }))).toBe('s-a-b-c-d-|', expected);
      expectSubscriptions(source.subscriptions).toBe('^---------!');
    });
  });

  it('leaves a constant series exactly as it is and restarts at each start event', () => {
    const values = { s: startEvent(), a: stepEvent(0, 0.1), b: stepEvent(1, 0.1) };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-s-b-|', values);
      const out = {
        s: values.s,
        a: { ...values.a, smoothedLoss: 0.1 },
        b: { ...values.b, smoothedLoss: 0.1 },
      };
      expectObservable(source.pipe(smoothLoss({ weight: 0.9 })), '^-------!').toBe('s-a-b-s-', out);
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('rejects a weight outside [0, 1]', () => {
    expect(() => smoothLoss({ weight: 1.5 })).toThrow(/weight must be in \[0, 1\], got 1.5/);
  });
});
