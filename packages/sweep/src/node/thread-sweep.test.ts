import type { TrainEvent } from '@downhill/core';
import { filter, firstValueFrom, lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { asha } from '../asha.js';
import { categorical } from '../categorical.js';
import { gridSampler } from '../grid-sampler.js';
import { logUniform } from '../log-uniform.js';
import { randomSampler } from '../random-sampler.js';
import { type SweepOptions, sweep } from '../sweep.js';
import type { SweepEvent } from '../sweep-event.js';
import { tpeSampler } from '../tpe-sampler.js';
import { uniform } from '../uniform.js';
import { breastCancer, breastCancerTrial } from './test-trials.js';
import { threadSweep } from './thread-sweep.js';

const MODULE = new URL('./test-trials.ts', import.meta.url).href;
// 455 training rows in batches of 32.
const BATCHES = Math.ceil(breastCancer().train.rows / 32);

const space = {
  learningRate: logUniform({ low: 1e-3, high: 1 }),
  momentum: uniform({ low: 0, high: 0.95 }),
};

/** A trial's events without their wall-clock `time`, the only field two identical runs differ in. */
function trialEvents(events: readonly SweepEvent[], index: number): unknown[] {
  return events.flatMap((e) => {
    if (e.type !== 'trial-event' || e.index !== index) return [];
    const { time: _time, ...rest } = e.event as TrainEvent & { time: number };
    return [rest];
  });
}

const endOf = (events: readonly SweepEvent[]) => {
  const end = events.at(-1);
  if (end?.type !== 'end') throw new Error('no end event');
  return end;
};

const run = (source: Observable<SweepEvent>) => lastValueFrom(source.pipe(toArray()));

describe('threadSweep', () => {
  it('gives the in-process executor results and events, trial by trial, for the same seed', async () => {
    const common = {
      space,
      sampler: randomSampler({ seed: 7 }),
      trials: 6,
      concurrency: 2,
      metric: 'validationLoss',
      seed: 3,
    } satisfies Partial<SweepOptions>;
    const options = { epochs: 3 };
    const threads = await run(
      threadSweep({ ...common, trial: { module: MODULE, export: 'breastCancerTrial', options } }),
    );
    const local = await run(
      sweep({ ...common, objective: (c, control) => breastCancerTrial(c, control, options) }),
    );
    expect(endOf(threads).results).toEqual(endOf(local).results);
    expect(endOf(threads).results.map((r) => r.state)).toEqual(new Array(6).fill('completed'));
    expect(endOf(threads).best).toEqual(endOf(local).best);
    for (let i = 0; i < 6; i++) {
      const events = trialEvents(threads, i);
      // start, 3 x (15 steps + an epoch), end
      expect(events).toHaveLength(2 + 3 * (BATCHES + 1));
      expect(events).toEqual(trialEvents(local, i));
      const own = threads.filter((e) => 'index' in e && e.index === i).map((e) => e.type);
      expect(own[0]).toBe('trial-start');
      expect(own).toContain('trial-complete');
    }
  });

  it('ASHA prunes the same trials as in-process, each stopped in its worker at its rung', async () => {
    const common = {
      space,
      sampler: tpeSampler({ seed: 5, startupTrials: 4 }),
      trials: 10,
      // One at a time, so the order trials reach rungs, hence ASHA's decisions, is the same in both.
      concurrency: 1,
      metric: 'validationLoss',
      scheduler: asha({ minBudget: 1, maxBudget: 9, reductionFactor: 3 }),
      seed: 11,
    } satisfies Partial<SweepOptions>;
    const threadCalls = new SharedArrayBuffer(4 * 10);
    const localCalls = new SharedArrayBuffer(4 * 10);
    const threads = await run(
      threadSweep({
        ...common,
        trial: { module: MODULE, export: 'breastCancerTrial', options: { epochs: 9, calls: threadCalls } },
      }),
    );
    const local = await run(
      sweep({
        ...common,
        objective: (c, control) => breastCancerTrial(c, control, { epochs: 9, calls: localCalls }),
      }),
    );
    const results = endOf(threads).results;
    expect(results).toEqual(endOf(local).results);
    const pruned = results.filter((r) => r.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    expect(results.some((r) => r.state === 'completed')).toBe(true);
    // Gradient evaluations each trial's worker made: exactly its epochs' batches, so a pruned
    // trial took no step past the rung where it was judged.
    expect([...new Int32Array(threadCalls)]).toEqual(results.map((r) => r.budget * BATCHES));
    expect([...new Int32Array(threadCalls)]).toEqual([...new Int32Array(localCalls)]);
  });

  it('records a trial that throws in its worker as failed and goes on', async () => {
    const events = await run(
      threadSweep({
        space: { learningRate: categorical([0.1, 0.2, 0.3]) },
        sampler: gridSampler(),
        trials: 3,
        concurrency: 2,
        metric: 'validationLoss',
        trial: { module: MODULE, export: 'failsOnTrialOne', options: { epochs: 1 } },
      }),
    );
    expect(endOf(events).results.map((r) => [r.state, r.error])).toEqual([
      ['completed', undefined],
      ['failed', 'trial 1 cannot start'],
      ['completed', undefined],
    ]);
    expect(events.filter((e) => e.type === 'trial-failed')).toEqual([
      { type: 'trial-failed', trialId: 'trial-1', index: 1, error: 'trial 1 cannot start' },
    ]);
  });

  it('records a trial whose worker dies as failed and runs the next trial in a new worker', async () => {
    const events = await run(
      threadSweep({
        space: { learningRate: categorical([0.1, 0.2, 0.3, 0.4]) },
        sampler: gridSampler(),
        trials: 4,
        concurrency: 2,
        metric: 'validationLoss',
        trial: { module: MODULE, export: 'exitsOnTrialOne', options: { epochs: 1 } },
      }),
    );
    expect(endOf(events).results.map((r) => [r.state, r.error])).toEqual([
      ['completed', undefined],
      ['failed', 'trial trial-1: its worker exited with code 3'],
      ['completed', undefined],
      ['completed', undefined],
    ]);
  });

  it('fails a trial whose module lacks the export, naming both', async () => {
    const events = await run(
      threadSweep({
        space: { learningRate: categorical([0.1]) },
        sampler: gridSampler(),
        trials: 1,
        concurrency: 1,
        trial: { module: MODULE, export: 'noSuchTrial' },
      }),
    );
    expect(endOf(events).results[0]?.error).toBe(
      `trial module ${JSON.stringify(MODULE)} has no function export "noSuchTrial"`,
    );
  });

  it('refuses options a worker cannot receive, and bad sweep options, when called', () => {
    expect(() =>
      threadSweep({
        space,
        sampler: randomSampler({ seed: 1 }),
        trials: 1,
        trial: { module: MODULE, export: 'breastCancerTrial', options: { f: () => 1 } },
      }),
    ).toThrow(/trial.options must survive a structured clone/);
    expect(() =>
      threadSweep({
        space,
        sampler: randomSampler({ seed: 1 }),
        trials: 0,
        trial: { module: MODULE, export: 'breastCancerTrial' },
      }),
    ).toThrow('sweep: trials must be an integer >= 1, got 0');
  });

  it('unsubscribing the sweep stops every running trial and ends its workers', async () => {
    const calls = new SharedArrayBuffer(4 * 3);
    const counts = new Int32Array(calls);
    const heartbeat = new SharedArrayBuffer(4);
    const beats = new Int32Array(heartbeat);
    const source = threadSweep({
      space: { learningRate: categorical([0.01, 0.02, 0.03]) },
      sampler: gridSampler(),
      trials: 3,
      concurrency: 2,
      trial: {
        module: MODULE,
        export: 'breastCancerTrial',
        options: { epochs: 1_000_000, calls, heartbeat },
      },
    });
    // Unsubscribes at an epoch of trial 1 after its second, once trial 0 (in the other worker,
    // which may start later) has trained too.
    await firstValueFrom(
      source.pipe(
        filter(
          (e) =>
            e.type === 'trial-event' &&
            e.index === 1 &&
            e.event.type === 'epoch' &&
            e.event.epoch >= 1 &&
            Atomics.load(counts, 0) > 0,
        ),
      ),
    );
    expect(Atomics.load(counts, 0)).toBeGreaterThan(0);
    expect(Atomics.load(counts, 1)).toBeGreaterThanOrEqual(2 * BATCHES);
    // Termination is asynchronous: once it has happened, no step is ever taken again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const atStop = [...counts];
    const beatsAtStop = Atomics.load(beats, 0);
    expect(beatsAtStop).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...counts]).toEqual(atStop);
    expect(atStop[2]).toBe(0);
    // Not just the trials: the threads themselves are gone (an idle worker would still beat).
    expect(Atomics.load(beats, 0)).toBe(beatsAtStop);
  });
});
