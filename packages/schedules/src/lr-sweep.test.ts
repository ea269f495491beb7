import type { TrainEvent } from '@downhill/core';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { lrSweep, sweepRate } from './lr-sweep.js';
import { startEvent, stepEvent } from './test-events.js';

const set = (value: number) => ({ type: 'set', name: 'learningRate', value, source: 'lrRangeTest' });
const stop = { type: 'stop', reason: 'stopped', source: 'lrRangeTest' };

describe('lrSweep', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('sets minLr before the first step, the next rate after each step, and stops after the last', () => {
    // steps 3 from 0.01 to 1: 0.01 * 100^(k/2) = 0.01, 0.1, 1.
    expect([0, 1, 2].map((k) => sweepRate({ minLr: 0.01, maxLr: 1, steps: 3 }, k))).toEqual([0.01, 0.1, 1]);
    const v: Record<string, TrainEvent> = {
      s: startEvent(),
      a: stepEvent(0, 1, 0.01),
      b: stepEvent(1, 0.9, 0.1),
      c: stepEvent(2, 0.8, 1),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events = cold('s-a-b-c-|', v);
      expectObservable(lrSweep({ minLr: 0.01, maxLr: 1, steps: 3 })(events)).toBe('x-y-z-(w|)', {
        x: set(0.01),
        y: set(0.1),
        z: set(1),
        w: stop,
      });
      expectSubscriptions(events.subscriptions).toBe('^-----!');
    });
  });

  it('stops when the smoothed loss exceeds divergeFactor times its best, and unsubscribes early on request', () => {
    // smoothing 0 leaves the loss as it is: 1, 0.5 (best), 3 > 4 * 0.5 -> stop at c.
    const v: Record<string, TrainEvent> = {
      s: startEvent(),
      a: stepEvent(0, 1, 1e-3),
      b: stepEvent(1, 0.5, 1e-2),
      c: stepEvent(2, 3, 1e-1),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const sweep = lrSweep({ minLr: 1e-3, maxLr: 10, steps: 5, smoothing: 0 });
      const events = cold('s-a-b-c-|', v);
      expectObservable(sweep(events)).toBe('x-y-z-(w|)', {
        x: set(1e-3),
        y: set(1e-2),
        z: set(1e-1),
        w: stop,
      });
      expectSubscriptions(events.subscriptions).toBe('^-----!');
      const early = cold('s-a-b-c-|', v);
      expectObservable(sweep(early), '^--!').toBe('x-y', { x: set(1e-3), y: set(1e-2) });
      expectSubscriptions(early.subscriptions).toBe('^--!');
    });
  });

  it('validates', () => {
    expect(() => lrSweep({ steps: 1 })).toThrow('lrSweep: steps must be an integer >= 2, got 1');
    expect(() => lrSweep({ divergeFactor: 1 })).toThrow(
      'lrSweep: divergeFactor must be a finite number > 1, got 1',
    );
  });
});
