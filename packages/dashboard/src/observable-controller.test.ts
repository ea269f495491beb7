import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ObservableController } from './observable-controller.js';

function fakeHost() {
  const controllers: ReactiveController[] = [];
  const host: ReactiveControllerHost & { updates: number; controllers: ReactiveController[] } = {
    updates: 0,
    controllers,
    addController: (c) => controllers.push(c),
    removeController: () => {},
    requestUpdate: () => {
      host.updates++;
    },
    updateComplete: Promise.resolve(true),
  };
  return host;
}

function manualFrames() {
  const pending: Array<() => void> = [];
  return {
    schedule: (flush: () => void) => {
      pending.push(flush);
      return () => pending.splice(pending.indexOf(flush), 1);
    },
    frame: () => {
      for (const flush of pending.splice(0)) flush();
    },
    get pending() {
      return pending.length;
    },
  };
}

describe('ObservableController', () => {
  it('subscribes on connect, batches values per frame and unsubscribes on disconnect', () => {
    const host = fakeHost();
    const frames = manualFrames();
    const batches: number[][] = [];
    const controller = new ObservableController<number>(host, {
      next: (values) => batches.push([...values]),
      schedule: frames.schedule,
    });
    const subject = new Subject<number>();
    controller.source = subject;
    expect(subject.observed).toBe(false); // not connected yet
    for (const c of host.controllers) c.hostConnected?.();
    expect(subject.observed).toBe(true);
    subject.next(1);
    subject.next(2);
    subject.next(3);
    expect(batches).toEqual([]);
    expect(frames.pending).toBe(1); // one frame scheduled for three values
    frames.frame();
    expect(batches).toEqual([[1, 2, 3]]);
    expect(host.updates).toBe(1);
    subject.next(4);
    for (const c of host.controllers) c.hostDisconnected?.();
    expect(subject.observed).toBe(false);
    expect(frames.pending).toBe(0); // the pending frame was cancelled
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('switches sources and hands arrays over at once', () => {
    const host = fakeHost();
    const batches: string[][] = [];
    const controller = new ObservableController<string>(host, { next: (v) => batches.push([...v]) });
    controller.hostConnected();
    const first = new Subject<string>();
    controller.source = first;
    expect(first.observed).toBe(true);
    controller.source = ['a', 'b'];
    expect(first.observed).toBe(false);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('flushes what is buffered before reporting completion and errors', () => {
    const host = fakeHost();
    const frames = manualFrames();
    const log: string[] = [];
    const controller = new ObservableController<number>(host, {
      next: (v) => log.push(`next ${v.join(',')}`),
      complete: () => log.push('complete'),
      error: (e) => log.push(`error ${(e as Error).message}`),
      schedule: frames.schedule,
    });
    controller.hostConnected();
    const a = new Subject<number>();
    controller.source = a;
    a.next(7);
    a.complete();
    const b = new Subject<number>();
    controller.source = b;
    b.next(8);
    b.error(new Error('lost'));
    expect(log).toEqual(['next 7', 'complete', 'next 8', 'error lost']);
    expect(controller.subscribed).toBe(false);
  });
});

describe('ObservableController (marbles)', () => {
  it('subscribes while connected, hands over one batch per frame, and unsubscribes early', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectSubscriptions, flush }) => {
      const host = fakeHost();
      const batches: Array<{ at: number; values: string[] }> = [];
      // A frame is 4 virtual ms here: a flush scheduled at t runs at t + 4.
      const controller = new ObservableController<string>(host, {
        next: (values) => batches.push({ at: scheduler.now(), values: [...values] }),
        schedule: (run) => {
          const action = scheduler.schedule(run, 4);
          return () => action.unsubscribe();
        },
      });
      const source = cold('-ab-c-----d--e|');
      const sub = '        ^--------!';
      controller.source = source;
      scheduler.schedule(() => controller.hostConnected(), 0);
      scheduler.schedule(() => controller.hostDisconnected(), 9);
      flush();
      expectSubscriptions(source.subscriptions).toBe(sub.trim());
      // a, b at 1-2 flush at 5; c at 4 joins the pending frame; d at 10 never arrives (disconnected).
      expect(batches).toEqual([{ at: 5, values: ['a', 'b', 'c'] }]);
      expect(host.updates).toBe(1);
    });
  });
});
