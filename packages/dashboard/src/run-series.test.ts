import type { RunConfig, StepEvent, TrainEvent } from '@downhill/core';
import { fromStepColumns, type StepColumns } from '@downhill/protocol';
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

describe('RunSeries.addStepColumns', () => {
  // Three steps in the wire's columns: epoch and learning rate shared, momentum per step.
  const columns: StepColumns = {
    seq: [1, 2, 4],
    time: [10, 11, 13],
    step: [0, 1, 2],
    epoch: [0, 0, 1],
    batch: [0, 1, 0],
    loss: [4, 3, 5],
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: { learningRate: 0.1, momentum: [0.9, 0.8, 0.7] },
  };
  const start = events[0]!;

  it('writes the columns as the events they stand for, without objects', () => {
    const run = new RunSeries('r');
    run.add(start);
    expect(run.addStepColumns(columns)).toBe(3);
    expect(Array.from(run.steps.toArray())).toEqual([0, 1, 2]);
    expect(Array.from(run.stepSeqs.toArray())).toEqual([1, 2, 4]);
    expect(Array.from(run.stepTimes.toArray())).toEqual([10, 11, 13]);
    expect(Array.from(run.losses.toArray())).toEqual([4, 3, 5]);
    expect(Array.from(run.gradNorms.toArray())).toEqual([1, 1, 1]);
    expect(Array.from(run.learningRates.toArray())).toEqual([0.1, 0.1, 0.1]);
    // batchesPerEpoch is 2: epoch + batch / 2.
    expect(Array.from(run.stepEpochs.toArray())).toEqual([0, 0.5, 1]);
    expect(Array.from(run.hyperparams.get('momentum')!.toArray())).toEqual([0.9, 0.8, 0.7]);
    expect([...run.hyperparams.keys()]).toEqual(['momentum']);
    expect(run.bestLoss).toBe(3);
    expect(run.lastSeq).toBe(4);
    expect(run.epoch).toBe(1);
    expect(run.time).toBe(13);
  });

  it('matches the object path on the same steps (protocol fromStepColumns as the reference)', () => {
    const byColumns = new RunSeries('r');
    byColumns.add(start);
    byColumns.addStepColumns(columns);
    const byObjects = new RunSeries('r');
    byObjects.add(start);
    for (const event of fromStepColumns('r', columns)) byObjects.add(event);
    for (const name of [
      'steps',
      'stepTimes',
      'stepSeqs',
      'losses',
      'stepEpochs',
      'learningRates',
      'gradNorms',
    ] as const)
      expect(Array.from(byColumns[name].toArray()), name).toEqual(Array.from(byObjects[name].toArray()));
    expect(byColumns.summary()).toEqual(byObjects.summary());
  });

  it('skips steps already seen, keeps hyperparameter columns aligned, and fills gaps with NaN', () => {
    const run = new RunSeries('r');
    run.add(start);
    run.addStepColumns(columns, 0, 2);
    // A reconnect that overlaps: seq 2 again, then seq 4; then a batch without momentum.
    expect(run.addStepColumns(columns, 1, 3)).toBe(1);
    expect(
      run.addStepColumns({
        seq: [5],
        time: 14,
        step: 3,
        epoch: 1,
        batch: 1,
        loss: Number.NaN,
        gradNorm: 1,
        learningRate: 0.05,
        hyperparams: { learningRate: 0.05, beta: 0.5 },
      }),
    ).toBe(1);
    expect(Array.from(run.steps.toArray())).toEqual([0, 1, 2, 3]);
    expect(Array.from(run.hyperparams.get('momentum')!.toArray())).toEqual([0.9, 0.8, 0.7, Number.NaN]);
    expect(Array.from(run.hyperparams.get('beta')!.toArray())).toEqual([
      Number.NaN,
      Number.NaN,
      Number.NaN,
      0.5,
    ]);
    // A NaN loss is not a best loss.
    expect(run.bestLoss).toBe(3);
    // The object path continues from there.
    run.add({ ...(events[5] as StepEvent), seq: 6, step: 4 });
    expect(Array.from(run.steps.toArray())).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(run.hyperparams.get('momentum')!.toArray())).toEqual([0.9, 0.8, 0.7, Number.NaN, 0.9]);
    expect(run.hyperparams.get('beta')!.at(4)).toBeNaN();
  });

  it('refuses a column of the wrong length or a seq that does not increase, writing nothing', () => {
    const run = new RunSeries('r');
    run.add(start);
    expect(() => run.addStepColumns({ ...columns, loss: [1, 2] })).toThrow(
      /column loss has 2 values for 3 steps \(run r\)/,
    );
    expect(() => run.addStepColumns({ ...columns, hyperparams: { momentum: [1] } })).toThrow(
      /column hyperparams\.momentum has 1 values/,
    );
    expect(() => run.addStepColumns({ ...columns, seq: [1, 3, 3] })).toThrow(/entry 2 has 3 after 3/);
    expect(run.steps.length).toBe(0);
    expect(run.lastSeq).toBe(0);
  });
});

/** One step (seq `seq`) in columns. */
function fromColumnsOf(seq: number): StepColumns {
  return {
    seq: [seq],
    time: 0,
    step: seq,
    epoch: 0,
    batch: 0,
    loss: 1,
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: {},
  };
}

describe('RunStore.addBatch', () => {
  it('puts the column steps and the other events of a batch in seq order', () => {
    const store = new RunStore();
    store.add(events[0]!);
    const epoch = events[3]!; // seq 3, between the column steps 2 and 4
    store.addBatch({
      runId: 'r',
      events: [epoch],
      steps: {
        seq: [1, 2, 4],
        time: 0,
        step: [0, 1, 2],
        epoch: [0, 0, 1],
        batch: [0, 1, 0],
        loss: [4, 3, 5],
        gradNorm: 1,
        learningRate: 0.1,
        hyperparams: { learningRate: 0.1 },
      },
    });
    const run = store.get('r')!;
    expect(Array.from(run.steps.toArray())).toEqual([0, 1, 2]);
    expect(Array.from(run.epochSteps.toArray())).toEqual([2]);
    expect(store.version).toBe(5);
    expect(run.lastSeq).toBe(4);
    // A feed's frame mixes events and batches: they go in in order.
    store.addItems([
      { ...events[4]!, seq: 5 },
      { runId: 'r', events: [events[6]!, events[7]!] },
    ]);
    expect(run.marks).toHaveLength(1);
    expect(run.status).toBe('stopped');
    const steps = { ...fromColumnsOf(9), hyperparams: {} };
    expect(() => store.addBatch({ runId: 'x', events: [epoch], steps })).toThrow(
      /event 0 is of run r, the batch of run x/,
    );
  });
});
