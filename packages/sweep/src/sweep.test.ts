import type { TrainEvent } from '@downhill/core';
import { Observable, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { asha } from './asha.js';
import { categorical } from './categorical.js';
import type { Config } from './domain.js';
import { gridSampler } from './grid-sampler.js';
import { logUniform } from './log-uniform.js';
import { sweep } from './sweep.js';
import type { SweepEvent } from './sweep-event.js';
import { epochEvent } from './test-events.js';
import { tpeSampler } from './tpe-sampler.js';
import { uniform } from './uniform.js';

const label = (e: SweepEvent): string => {
  switch (e.type) {
    case 'trial-start':
      return `start ${e.index}`;
    case 'trial-event':
      return `event ${e.index} ${e.event.type}`;
    case 'trial-pruned':
      return `pruned ${e.index} at ${e.budget}`;
    case 'trial-complete':
      return `complete ${e.index} ${+e.value.toFixed(12)}`;
    case 'trial-failed':
      return `failed ${e.index}: ${e.error}`;
    case 'trial-exploit':
      return `exploit ${e.index} from ${e.fromIndex}`;
    case 'best':
      return `best ${e.index} ${+e.value.toFixed(12)}`;
    case 'end':
      return `end ${e.reason}`;
  }
};

const collect = (source: Observable<SweepEvent>): SweepEvent[] => {
  const out: SweepEvent[] = [];
  source.subscribe((e) => out.push(e));
  return out;
};

/** One categorical parameter `trial` = 0..n-1, so a grid sampler runs trial i with config { trial: i }. */
const indexSpace = (n: number) => ({ trial: categorical(Array.from({ length: n }, (_, i) => i)) });

describe('sweep', () => {
  it('ASHA prunes exactly the trials the rule prunes on scripted learning curves, and stops them', () => {
    // Nine 9-epoch curves given by their values at the rungs (epochs 1 and 3); after epoch 3 each
    // falls by 0.01 an epoch, so a trial that finishes ends at its epoch-3 value - 0.06.
    const rung1 = [0.5, 0.6, 0.3, 0.4, 0.2, 0.7, 0.35, 0.25, 0.1];
    const rung3 = [0.45, 0.55, 0.28, 0.38, 0.3, 0.65, 0.33, 0.15, 0.09];
    const curve = (t: number): number[] => [
      rung1[t]!,
      (rung1[t]! + rung3[t]!) / 2,
      rung3[t]!,
      ...[1, 2, 3, 4, 5, 6].map((k) => rung3[t]! - 0.01 * k),
    ];
    const produced = new Array<number>(9).fill(0);
    const events = collect(
      sweep({
        space: indexSpace(9),
        sampler: gridSampler(),
        trials: 9,
        // One at a time: trial t reaches each rung after trials 0..t-1 have been judged there.
        concurrency: 1,
        scheduler: asha({ minBudget: 1, maxBudget: 9, reductionFactor: 3 }),
        objective: (config: Config) =>
          new Observable<TrainEvent>((subscriber) => {
            const t = config.trial as number;
            const values = curve(t);
            for (let e = 0; e < values.length && !subscriber.closed; e++) {
              produced[t]!++;
              subscriber.next(epochEvent(e, values[e]!));
            }
            subscriber.complete();
          }),
      }),
    );
    // By hand, with eta = 3 (keep the best max(1, floor(n / 3)) of the n recorded at a rung so far):
    // rung 1 (epoch 1), in trial order:
    //   0 0.50 n=1 keep 1 -> on;  1 0.60 n=2 best 0.50 -> pruned;  2 0.30 n=3 best 0.30 -> on
    //   3 0.40 n=4 best 0.30 -> pruned;  4 0.20 n=5 best 0.20 -> on
    //   5 0.70 n=6 keep 2 [0.20, 0.30] -> pruned;  6 0.35 n=7 keep 2 [0.20, 0.30] -> pruned
    //   7 0.25 n=8 keep 2 [0.20, 0.25] -> on;  8 0.10 n=9 keep 3 -> on
    // rung 3 (epoch 3), survivors in trial order:
    //   0 0.45 n=1 -> on;  2 0.28 n=2 keep 1 -> on;  4 0.30 n=3 best 0.28 -> pruned
    //   7 0.15 n=4 best 0.15 -> on;  8 0.09 n=5 best 0.09 -> on
    const outcomes = events
      .filter((e) => e.type === 'trial-pruned' || e.type === 'trial-complete')
      .map(label);
    expect(outcomes).toEqual([
      'complete 0 0.39',
      'pruned 1 at 1',
      'complete 2 0.22',
      'pruned 3 at 1',
      'pruned 4 at 3',
      'pruned 5 at 1',
      'pruned 6 at 1',
      'complete 7 0.09',
      'complete 8 0.03',
    ]);
    // A pruned trial is unsubscribed at once: it produced no epoch past its rung.
    expect(produced).toEqual([9, 1, 9, 1, 3, 1, 1, 9, 9]);
    const end = events.at(-1)!;
    expect(end.type === 'end' && end.best?.index).toBe(8);
  });

  it('runs at most `concurrency` trials at once and starts the next when one ends (marbles)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectSubscriptions, flush }) => {
      const trials = [
        cold<TrainEvent>('-a|', { a: epochEvent(0, 0.5) }),
        cold<TrainEvent>('--a---b|', { a: epochEvent(0, 0.6), b: epochEvent(1, 0.3) }),
        cold<TrainEvent>('-a|', { a: epochEvent(0, 0.4) }),
      ];
      const out: string[] = [];
      sweep({
        space: indexSpace(3),
        sampler: gridSampler(),
        trials: 3,
        concurrency: 2,
        objective: (config) => trials[config.trial as number]!,
      }).subscribe((e) => out.push(`${scheduler.now()}: ${label(e)}`));
      flush();
      expect(out).toEqual([
        '0: start 0',
        '0: start 1',
        '1: event 0 epoch',
        '2: complete 0 0.5',
        '2: best 0 0.5',
        '2: start 2',
        '2: event 1 epoch',
        '3: event 2 epoch',
        '4: complete 2 0.4',
        '4: best 2 0.4',
        '6: event 1 epoch',
        '7: complete 1 0.3',
        '7: best 1 0.3',
        '7: end completed',
      ]);
      expectSubscriptions(trials[0]!.subscriptions).toBe('^-!');
      expectSubscriptions(trials[1]!.subscriptions).toBe('^------!');
      expectSubscriptions(trials[2]!.subscriptions).toBe('--^-!');
    });
  });

  it('unsubscribing the sweep unsubscribes every running trial (marbles)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectSubscriptions, flush }) => {
      const trials = [
        cold<TrainEvent>('-a|', { a: epochEvent(0, 0.5) }),
        cold<TrainEvent>('--a---b|', { a: epochEvent(0, 0.6), b: epochEvent(1, 0.3) }),
        cold<TrainEvent>('-a-----|', { a: epochEvent(0, 0.4) }),
        cold<TrainEvent>('-a|', { a: epochEvent(0, 0.4) }),
      ];
      const out: string[] = [];
      const subscription = sweep({
        space: indexSpace(4),
        sampler: gridSampler(),
        trials: 4,
        concurrency: 2,
        objective: (config) => trials[config.trial as number]!,
      }).subscribe((e) => out.push(`${scheduler.now()}: ${label(e)}`));
      scheduler.schedule(() => subscription.unsubscribe(), 5);
      flush();
      expect(out).toEqual([
        '0: start 0',
        '0: start 1',
        '1: event 0 epoch',
        '2: complete 0 0.5',
        '2: best 0 0.5',
        '2: start 2',
        '2: event 1 epoch',
        '3: event 2 epoch',
      ]);
      // Trials 1 and 2 were running at frame 5: both are unsubscribed then; trial 3 never starts.
      expectSubscriptions(trials[0]!.subscriptions).toBe('^-!');
      expectSubscriptions(trials[1]!.subscriptions).toBe('^----!');
      expectSubscriptions(trials[2]!.subscriptions).toBe('--^--!');
      expectSubscriptions(trials[3]!.subscriptions).toBe([]);
    });
  });

  it('unsubscribes a trial in the frame ASHA prunes it (marbles)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectSubscriptions, flush }) => {
      const trials = [
        cold<TrainEvent>('-a-b|', { a: epochEvent(0, 0.5), b: epochEvent(1, 0.4) }),
        // At rung 1 (epoch 1) its 0.9 ranks below trial 0's 0.5 (n = 2, keep 1): pruned there.
        cold<TrainEvent>('-a-b-c|', { a: epochEvent(0, 0.9), b: epochEvent(1, 0.1), c: epochEvent(2, 0.05) }),
      ];
      const out: string[] = [];
      sweep({
        space: indexSpace(2),
        sampler: gridSampler(),
        trials: 2,
        scheduler: asha({ minBudget: 1, maxBudget: 9, reductionFactor: 3 }),
        objective: (config) => trials[config.trial as number]!,
      }).subscribe((e) => out.push(`${scheduler.now()}: ${label(e)}`));
      flush();
      expect(out).toEqual([
        '0: start 0',
        '1: event 0 epoch',
        '3: event 0 epoch',
        '4: complete 0 0.4',
        '4: best 0 0.4',
        '4: start 1',
        '5: event 1 epoch',
        '5: pruned 1 at 1',
        '5: end completed',
      ]);
      expectSubscriptions(trials[0]!.subscriptions).toBe('^---!');
      expectSubscriptions(trials[1]!.subscriptions).toBe('----^!');
    });
  });

  it('records a failing trial and goes on; maximises when asked; a finished grid ends the sweep', () => {
    const events = collect(
      sweep({
        space: indexSpace(4),
        sampler: gridSampler(),
        trials: 10,
        metric: 'accuracy',
        mode: 'max',
        objective: (config) => {
          const t = config.trial as number;
          if (t === 1) return throwError(() => new Error('out of memory'));
          if (t === 2) return of(epochEvent(0, 0.3));
          return of(epochEvent(0, 0.5, { accuracy: t === 0 ? 0.8 : 0.9 }));
        },
      }),
    );
    expect(events.filter((e) => e.type !== 'trial-event' && e.type !== 'trial-start').map(label)).toEqual([
      'complete 0 0.8',
      'best 0 0.8',
      'failed 1: out of memory',
      'failed 2: the trial ended without a finite "accuracy" (got NaN)',
      'complete 3 0.9',
      'best 3 0.9',
      'end exhausted',
    ]);
    const end = events.at(-1)!;
    if (end.type !== 'end') throw new Error('no end event');
    expect(end.results.map((r) => r.state)).toEqual(['completed', 'failed', 'failed', 'completed']);
    expect(end.best).toMatchObject({ trialId: 'trial-3', value: 0.9, config: { trial: 3 } });
  });

  it('replays exactly from its seeds with concurrency 1 (TPE and ASHA over config-driven curves)', () => {
    const run = (seed: number) =>
      collect(
        sweep({
          space: {
            learningRate: logUniform({ low: 1e-4, high: 1 }),
            momentum: uniform({ low: 0, high: 0.99 }),
          },
          sampler: tpeSampler({ seed, startupTrials: 5 }),
          trials: 25,
          seed,
          scheduler: asha({ minBudget: 1, maxBudget: 9, reductionFactor: 3 }),
          // A curve that depends on the config and on the trial's own seed.
          objective: (config, control) => {
            const target =
              Math.abs(Math.log10(config.learningRate as number) + 2) +
              Math.abs((config.momentum as number) - 0.9);
            const noise = (control.seed >>> 0) / 2 ** 32 / 100;
            return of(...Array.from({ length: 9 }, (_, e) => epochEvent(e, target + noise + 1 / (e + 1))));
          },
        }),
      ).filter((e) => e.type !== 'trial-event');
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(run(4)).not.toEqual(a);
    expect(a.filter((e) => e.type === 'trial-pruned').length).toBeGreaterThan(0);
  });

  it('names bad options', () => {
    const base = { space: indexSpace(2), sampler: gridSampler(), trials: 2, objective: () => of() };
    expect(() => sweep({ ...base, trials: 0 })).toThrow('sweep: trials must be an integer >= 1, got 0');
    expect(() => sweep({ ...base, concurrency: 1.5 })).toThrow(
      'sweep: concurrency must be an integer >= 1, got 1.5',
    );
    expect(() => sweep({ ...base, mode: 'up' as never })).toThrow(
      `sweep: mode must be 'min' or 'max', got "up"`,
    );
  });
});
