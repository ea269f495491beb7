import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleSteps } from './sample-steps.js';
import { epochEvent, startEvent, stepEvent } from './test-events.js';

describe('sampleSteps', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });
  const values = {
    s: startEvent(),
    a: stepEvent(0, 5),
    b: stepEvent(1, 4),
    c: stepEvent(2, 3),
    d: stepEvent(3, 2),
    e: epochEvent(0, 5, 3.5),
  };

  it('keeps every n-th step and every other event', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-c-d-e-|', values);
      expectObservable(source.pipe(sampleSteps(2))).toBe('s-a---c---e-|', values);
      expectSubscriptions(source.subscriptions).toBe('^-----------!');
    });
  });

  it('passes errors through and unsubscribes early from the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('s-a-b-c-#', values);
      expectObservable(source.pipe(sampleSteps(1)), '^---!').toBe('s-a-', values);
      expectSubscriptions(source.subscriptions).toBe('^---!');
      const failing = cold('s-a-#', values);
      expectObservable(failing.pipe(sampleSteps(3))).toBe('s-a-#', values);
    });
  });

  it('rejects a non-positive interval', () => {
    expect(() => sampleSteps(0)).toThrow(/every must be a positive integer, got 0/);
  });
});
