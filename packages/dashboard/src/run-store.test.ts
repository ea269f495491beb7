import type { RunConfig, StepEvent, TrainEvent } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { RunStore } from './run-store.js';

const config = { batchesPerEpoch: 10, optimizer: { name: 'sgd' }, extra: {} } as unknown as RunConfig;

function step(runId: string, i: number, hyperparams: Record<string, number>): StepEvent {
  return {
    type: 'step',
    runId,
    seq: i + 1,
    time: i,
    step: i,
    epoch: Math.floor(i / 10),
    batch: i % 10,
    loss: 1 / (i + 1),
    gradNorm: i,
    learningRate: 0.1,
    hyperparams,
  };
}

/** Three runs' events interleaved, one hyperparams object reused by run c, a key appearing in run b. */
function events(): TrainEvent[] {
  const out: TrainEvent[] = [];
  const shared = { learningRate: 0.1, momentum: 0.9 };
  for (const runId of ['a', 'b', 'c'])
    out.push({ type: 'start', runId, seq: 0, time: 0, step: 0, params: [0, 0], config });
  for (let i = 0; i < 700; i++) {
    out.push(step('a', i, { learningRate: 0.1, momentum: 0.9 }));
    out.push(step('b', i, i < 300 ? { learningRate: 0.1 } : { learningRate: 0.1, beta2: i }));
    out.push(step('c', i, shared));
  }
  return out;
}

const columns = (store: RunStore, runId: string) => {
  const run = store.get(runId)!;
  return {
    steps: Array.from(run.steps.toArray()),
    losses: Array.from(run.losses.toArray()),
    epochs: Array.from(run.stepEpochs.toArray()),
    hyperparams: Object.fromEntries([...run.hyperparams].map(([k, v]) => [k, Array.from(v.toArray())])),
    bestLoss: run.bestLoss,
  };
};

describe('RunStore.addAll', () => {
  it('stores a large interleaved batch as adding each event does', () => {
    const batch = events();
    expect(batch.length).toBeGreaterThan(1024);
    const one = new RunStore();
    for (const event of batch) one.add(event);
    const all = new RunStore();
    all.addAll(batch);
    for (const runId of ['a', 'b', 'c']) expect(columns(all, runId)).toEqual(columns(one, runId));
    expect(all.version).toBe(one.version);
  });

  it('keeps hyperparameter columns aligned with the steps, NaN where a step did not report one', () => {
    const store = new RunStore();
    store.addAll(events());
    const b = columns(store, 'b');
    expect(b.steps.length).toBe(700);
    expect(b.hyperparams.beta2!.length).toBe(700);
    expect(b.hyperparams.beta2!.slice(298, 302)).toEqual([Number.NaN, Number.NaN, 300, 301]);
    expect(columns(store, 'c').hyperparams).toEqual({ momentum: new Array(700).fill(0.9) });
    // Fractional epochs: epoch + batch / batchesPerEpoch.
    expect(b.epochs.slice(9, 12)).toEqual([0.9, 1, 1.1]);
    expect(b.bestLoss).toBe(1 / 700);
  });

  it('ignores a batch sent again (a reconnect that overlaps) and counts only new events', () => {
    const store = new RunStore();
    const batch = events();
    store.addAll(batch);
    const version = store.version;
    store.addAll(batch);
    expect(store.version).toBe(version);
    expect(store.get('a')!.steps.length).toBe(700);
  });

  it('takes a long stretch of one run that overlaps what it has, keeping each step once', () => {
    const store = new RunStore();
    const hp = { learningRate: 0.1 };
    const range = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => step('a', from + k, hp));
    store.addAll(range(0, 2000));
    const version = store.version;
    store.addAll(range(1500, 2500));
    const run = store.get('a')!;
    expect(run.steps.length).toBe(2500);
    expect(Array.from(run.steps.toArray())).toEqual(Array.from({ length: 2500 }, (_, k) => k));
    expect(store.version - version).toBe(500);
    expect(run.lastSeq).toBe(2500);
  });
});

describe('RunSeries.addSteps', () => {
  it('names the event that is not a step event of its run', () => {
    const store = new RunStore();
    store.add(step('a', 0, {}));
    const run = store.get('a')!;
    expect(() => run.addSteps([step('a', 1, {}), step('b', 2, {})], 0, 2)).toThrow(
      'RunSeries.addSteps: event 1 is not a step event of run a',
    );
    // Nothing of the refused stretch was written.
    expect(run.steps.length).toBe(1);
    expect(run.lastSeq).toBe(1);
  });
});
