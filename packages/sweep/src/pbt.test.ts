import { type Batch, type Loader, matrix, type Optimizer, type TrainEvent, train } from '@downhill/core';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { categorical } from './categorical.js';
import type { Config } from './domain.js';
import { gridSampler } from './grid-sampler.js';
import { type PbtControl, type PbtOptions, pbt, pbtQuantiles } from './pbt.js';
import type { SweepEvent } from './sweep-event.js';
import { uniform } from './uniform.js';

// A scripted member: one parameter w, one step an epoch, each step adds the config's `delta` to
// w, and the loss is w itself. So an epoch's loss is w before its step: after k steps from w0,
// the loss of the last epoch is w0 + (k - 1) delta, all by hand.
const one: Batch = { x: matrix(new Float64Array(1), 1, 1), y: matrix(new Float64Array(1), 1, 1) };
const loader: Loader<Batch> = {
  batchesPerEpoch: 1,
  samples: 1,
  batchSize: 1,
  *epoch() {
    yield one;
  },
};
// Its state sums the deltas it applied (reported as hyperparameter `moved`), so a copied
// optimizer state shows in the step events.
const drift = (delta: number): Optimizer<{ moved: number }> => ({
  name: 'drift',
  settable: [],
  init: () => ({ moved: 0 }),
  update(updates, state, _params, ctx) {
    state.moved += delta;
    ctx.current.moved = state.moved;
    updates[0] = delta;
  },
  describe: () => ({ name: 'drift', delta }),
});
const scripted = (config: Config, control: PbtControl): Observable<TrainEvent> =>
  train({
    objective: {
      dimension: 1,
      loss: (w, _b, grad) => {
        if (grad) grad[0] = 1;
        return w[0]!;
      },
    },
    optimizer: drift(config.delta as number),
    params: [0],
    loader,
    ...control.train,
  });

const run = (options: Partial<PbtOptions>) =>
  lastValueFrom(
    pbt({
      space: { delta: uniform({ low: 0.01, high: 1 }) },
      sampler: gridSampler(),
      population: 4,
      perturbationInterval: 2,
      maxBudget: 6,
      objective: scripted,
      resampleProbability: 0,
      ...options,
    }).pipe(toArray()),
  );

const exploits = (events: SweepEvent[]) =>
  events.flatMap((e) =>
    e.type === 'trial-exploit' ? [[e.budget, e.index, e.fromIndex, e.config.delta]] : [],
  );

describe('pbtQuantiles', () => {
  it('takes ceil(n q) from each end, at most half the population', () => {
    expect(pbtQuantiles([3, 1, 0, 2], 0.25)).toEqual({ top: [3], bottom: [2] });
    expect(pbtQuantiles([0, 1, 2, 3, 4, 5, 6, 7], 0.25)).toEqual({ top: [0, 1], bottom: [6, 7] });
    expect(pbtQuantiles([0, 1, 2], 0.5)).toEqual({ top: [0], bottom: [2] });
    expect(pbtQuantiles([0], 0.25)).toEqual({ top: [], bottom: [] });
  });
});

describe('pbt', () => {
  it('on a scripted population, the bottom member copies the top one and perturbs its hyperparameters', async () => {
    // deltas 0.1, 0.2, 0.3, 0.4 (a 4-point grid of [0.1, 0.4]); population 4, quantile 1/4 -> 1.
    const events = await run({ space: { delta: categorical([0.1, 0.2, 0.3, 0.4]) }, seed: 0 });
    // Categorical deltas move to a neighbouring choice when explored; uniform ones are used below.
    expect(exploits(events)[0]?.slice(0, 3)).toEqual([2, 3, 0]);
    const events2 = await run({
      seed: 0,
      space: { delta: uniform({ low: 0.01, high: 1 }) },
      sampler: fourDeltas,
    });
    const [first, second] = exploits(events2);
    // Epoch 2: last-epoch losses (w after 1 step) 0.1, 0.2, 0.3, 0.4: member 3 copies member 0
    // (w = 0.2 after 2 steps) and its delta 0.1 times 0.8 or 1.2.
    expect(first?.slice(0, 3)).toEqual([2, 3, 0]);
    const d3 = first![3] as number;
    expect([0.08, 0.12].map((d) => +d.toFixed(12))).toContain(+d3.toFixed(12));
    // Epoch 4: members 0, 1, 2 lost 0.3, 0.6, 0.9 in their last epoch; member 3 started from
    // member 0's w = 0.2 and lost 0.2 + d3. With d3 = 0.08 it is the best (0.28), else member 0
    // (0.3 < 0.32); either way member 2 (0.9) copies the best.
    expect(second?.slice(0, 3)).toEqual([4, 2, d3 < 0.1 ? 3 : 0]);
    // Member 3's epoch losses show the copied state: 0, 0.1 (its own), then from w = 0.2.
    const losses3 = events2.flatMap((e) =>
      e.type === 'trial-event' && e.index === 3 && e.event.type === 'epoch'
        ? [+e.event.loss.toFixed(12)]
        : [],
    );
    expect(losses3.slice(0, 4)).toEqual([0, 0.4, 0.2, +(0.2 + d3).toFixed(12)]);
    // The copied optimizer state came too: member 3's sum of deltas went on from member 0's 0.2.
    const moved3 = events2.flatMap((e) =>
      e.type === 'trial-event' && e.index === 3 && e.event.type === 'step'
        ? [+e.event.hyperparams.moved!.toFixed(12)]
        : [],
    );
    expect(moved3.slice(0, 3)).toEqual([0.4, 0.8, +(0.2 + d3).toFixed(12)]);
    const end = events2.at(-1);
    if (end?.type !== 'end') throw new Error('no end');
    expect(end.results.map((r) => r.state)).toEqual(new Array(4).fill('completed'));
    expect(exploits(events2)).toHaveLength(2);
  });

  it('replays from its seed, and another seed draws differently', async () => {
    const strip = (events: SweepEvent[]) =>
      events.map((e) => (e.type === 'trial-event' ? { ...e, event: { ...e.event, time: 0 } } : e));
    const options = { population: 8, resampleProbability: 0.25, sampler: eightDeltas, maxBudget: 8 };
    const a = await run({ ...options, seed: 1 });
    const b = await run({ ...options, seed: 1 });
    expect(strip(a)).toEqual(strip(b));
    const configs = new Set<string>();
    for (let seed = 0; seed < 6; seed++)
      configs.add(JSON.stringify(exploits(await run({ ...options, seed }))));
    expect(configs.size).toBeGreaterThan(1);
  });

  it('with 8 members, exactly the bottom two exploit, each from one of the top two, at every interval', async () => {
    const events = await run({ population: 8, sampler: eightDeltas, maxBudget: 8, seed: 3 });
    // Generation 1 by hand: last-epoch losses are the deltas 0.1 ... 0.8, so 6 and 7 copy 0 or 1.
    const byBudget = (b: number) => exploits(events).filter((x) => x[0] === b);
    expect(byBudget(2).map((x) => x[1])).toEqual([7, 6]);
    for (const x of byBudget(2)) expect([0, 1]).toContain(x[2]);
    // Later generations: recompute each ranking from the members' last-epoch losses.
    for (const budget of [4, 6]) {
      const last = new Map<number, number>();
      for (const e of events)
        if (e.type === 'trial-event' && e.event.type === 'epoch' && e.event.epoch === budget - 1)
          last.set(e.index, e.event.loss);
      const ranked = [...last.entries()].sort((p, q) => p[1] - q[1] || p[0] - q[0]).map(([i]) => i);
      const rows = byBudget(budget);
      expect(rows.map((x) => x[1])).toEqual([ranked[7], ranked[6]]);
      for (const x of rows) expect(ranked.slice(0, 2)).toContain(x[2]);
    }
    expect(byBudget(8)).toEqual([]);
  });

  it('records a member whose segment fails and goes on with the rest', async () => {
    const events = await run({
      sampler: fourDeltas,
      objective: (config, control) => {
        if (control.index === 2 && control.generation === 1) throw new Error('no memory');
        return scripted(config, control);
      },
    });
    const end = events.at(-1);
    if (end?.type !== 'end') throw new Error('no end');
    expect(end.results.map((r) => r.state)).toEqual(['completed', 'completed', 'failed', 'completed']);
    expect(end.results[2]?.error).toBe('no memory');
  });

  it('names a bad option', () => {
    const base = {
      space: { delta: uniform({ low: 0.01, high: 1 }) },
      sampler: fourDeltas,
      population: 4,
      perturbationInterval: 2,
      maxBudget: 6,
      objective: scripted,
    };
    expect(() => pbt({ ...base, quantileFraction: 0.75 })).toThrow(
      'pbt: quantileFraction must be in (0, 0.5], got 0.75',
    );
    expect(() => pbt({ ...base, perturbationInterval: 0 })).toThrow(
      'pbt: perturbationInterval must be an integer >= 1, got 0',
    );
  });
});

/** Member i gets delta 0.1 (i + 1), from a uniform domain so that explore multiplies it. */
const deltas = (n: number) => ({
  name: 'scripted',
  suggest: ({ index }: { index: number }) =>
    index < n ? { delta: +(0.1 * (index + 1)).toFixed(12) } : undefined,
});
const fourDeltas = deltas(4);
const eightDeltas = deltas(8);
