import type { RunConfig, TrainEvent } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { RunSeries } from './run-series.js';
import { RunStore } from './run-store.js';

const config: RunConfig = {
  model: undefined,
  optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 },
  data: undefined,
  batchSize: 4,
  samples: 8,
  batchesPerEpoch: 2,
  parameterCount: 2,
  seed: 3,
  epochs: 2,
  steps: undefined,
  validationSamples: 4,
  extra: { name: 'tiny' },
};

const base = { runId: 'r', time: 0 };
const events: TrainEvent[] = [
  { ...base, type: 'start', seq: 0, config, params: [0, 1], step: 0 },
  {
    ...base,
    type: 'step',
    seq: 1,
    step: 0,
    epoch: 0,
    batch: 0,
    loss: 4,
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: { learningRate: 0.1 },
    params: [1, 2],
  },
  {
    ...base,
    type: 'step',
    seq: 2,
    step: 1,
    epoch: 0,
    batch: 1,
    loss: 3,
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: { learningRate: 0.1, momentum: 0.9 },
  },
  {
    ...base,
    type: 'epoch',
    seq: 3,
    epoch: 0,
    step: 2,
    loss: 3.5,
    validationLoss: 3.2,
    metrics: { accuracy: 0.5 },
  },
  {
    ...base,
    type: 'hyperparam',
    seq: 4,
    step: 2,
    name: 'learningRate',
    value: 0.05,
    previous: 0.1,
    source: 'dashboard',
  },
  {
    ...base,
    type: 'step',
    seq: 5,
    step: 2,
    epoch: 1,
    batch: 0,
    loss: 5,
    gradNorm: 1,
    learningRate: 0.05,
    hyperparams: { learningRate: 0.05, momentum: 0.9 },
  },
  { ...base, type: 'status', seq: 6, status: 'paused', step: 3, source: 'user' },
  { ...base, type: 'end', seq: 7, reason: 'stopped', step: 3, epoch: 1, params: [2, 3], loss: 5 },
];

describe('RunSeries', () => {
  it('lays the events out in columns', () => {
    const run = new RunSeries('r');
    for (const event of events) run.add(event);
    expect(Array.from(run.steps.toArray())).toEqual([0, 1, 2]);
    expect(Array.from(run.losses.toArray())).toEqual([4, 3, 5]);
    expect(Array.from(run.learningRates.toArray())).toEqual([0.1, 0.1, 0.05]);
    // Fractional epoch = epoch + batch / batchesPerEpoch.
    expect(Array.from(run.stepEpochs.toArray())).toEqual([0, 0.5, 1]);
    // momentum first appears at step 1: step 0 gets NaN so the columns stay aligned.
    expect(Array.from(run.hyperparams.get('momentum')!.toArray())).toEqual([Number.NaN, 0.9, 0.9]);
    expect(Array.from(run.validationLosses.toArray())).toEqual([3.2]);
    expect(Array.from(run.metrics.get('accuracy')!.toArray())).toEqual([0.5]);
    expect(run.marks).toEqual([{ step: 2, time: 0, name: 'learningRate', value: 0.05, source: 'dashboard' }]);
    // Path: start params, the step that recorded params, then the end params.
    expect(Array.from(run.pathX.toArray())).toEqual([0, 1, 2]);
    expect(Array.from(run.pathY.toArray())).toEqual([1, 2, 3]);
    expect(run.status).toBe('stopped');
  });

  it('summarises the run for the list', () => {
    const run = new RunSeries('r');
    for (const event of events.slice(0, 7)) run.add(event);
    expect(run.summary()).toMatchObject({
      runId: 'r',
      name: 'tiny',
      status: 'paused',
      optimizer: 'sgd',
      hyperparams: { learningRate: 0.1, momentum: 0.9, batchSize: 4, seed: 3 },
      step: 3,
      epoch: 1,
      loss: 5,
      bestLoss: 3,
      validationLoss: 3.2,
      learningRate: 0.05,
    });
  });

  it('ignores events it has already seen (an overlapping reconnect) and names a wrong run', () => {
    const store = new RunStore();
    store.addAll(events.slice(0, 3));
    store.addAll(events.slice(1, 6));
    expect(Array.from(store.get('r')!.steps.toArray())).toEqual([0, 1, 2]);
    expect(() => new RunSeries('x').add(events[0]!)).toThrow(/event for run r given to run x/);
  });
});

describe('RunSeries.mergeDetail', () => {
  const step = (s: number, loss: number): TrainEvent => ({
    runId: 'r',
    time: s,
    type: 'step',
    seq: s + 1,
    step: s,
    epoch: 0,
    batch: s,
    loss,
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: { learningRate: 0.1, momentum: 0.9 },
  });

  it('inserts missing steps in step order and keeps the ones it has', () => {
    const run = new RunSeries('r');
    run.add(events[0]!);
    // A downsampled history: steps 0, 5, 9.
    for (const [s, loss] of [
      [0, 10],
      [5, 5],
      [9, 1],
    ] as const)
      run.add(step(s, loss));
    const inserted = run.mergeDetail([step(6, 4), step(4, 6), step(5, 99), step(3, 7)]);
    expect(inserted).toBe(3);
    expect(run.revision).toBe(1);
    expect(Array.from(run.steps.toArray())).toEqual([0, 3, 4, 5, 6, 9]);
    expect(Array.from(run.losses.toArray())).toEqual([10, 7, 6, 5, 4, 1]);
    expect(Array.from(run.stepSeqs.toArray())).toEqual([1, 4, 5, 6, 7, 10]);
    expect(Array.from(run.hyperparams.get('momentum')!.toArray())).toEqual([0.9, 0.9, 0.9, 0.9, 0.9, 0.9]);
    expect(run.mergeDetail([step(4, 6)])).toBe(0);
    expect(run.revision).toBe(1);
  });
});
