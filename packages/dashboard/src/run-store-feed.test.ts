import type { TrainEvent } from '@downhill/core';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RunStoreFeed } from './run-store-feed.js';

const step = (runId: string, seq: number): TrainEvent => ({
  type: 'step',
  runId,
  seq,
  time: seq,
  step: seq,
  epoch: 0,
  batch: seq,
  loss: 1 / (seq + 1),
  gradNorm: 2,
  learningRate: 0.1,
  hyperparams: { learningRate: 0.1 },
});

describe('RunStoreFeed', () => {
  it('stores each event once and tells every listener once per frame', () => {
    let flush: (() => void) | undefined;
    const feed = new RunStoreFeed({
      schedule: (f) => {
        flush = f;
        return () => {
          flush = undefined;
        };
      },
    });
    const events = new Subject<TrainEvent>();
    const calls: string[] = [];
    feed.subscribe(() => calls.push('a'));
    const off = feed.subscribe(() => calls.push('b'));
    feed.source = events;
    calls.length = 0;
    events.next(step('r', 0));
    events.next(step('r', 1));
    events.next(step('q', 0));
    expect(feed.store.get('r')).toBeUndefined();
    flush!();
    expect(calls).toEqual(['a', 'b']);
    expect(Array.from(feed.store.get('r')!.losses.toArray())).toEqual([1, 0.5]);
    expect(Array.from(feed.store.get('q')!.gradNorms.toArray())).toEqual([2]);
    off();
    events.next(step('r', 2));
    flush!();
    expect(calls).toEqual(['a', 'b', 'a']);
    // Early unsubscribe: a new source drops the old subscription and what was stored.
    feed.source = [step('z', 0)];
    expect(events.observed).toBe(false);
    expect(feed.store.runs().map((r) => r.runId)).toEqual(['z']);
    feed.close();
  });
});
