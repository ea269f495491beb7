import { describe, expect, it } from 'vitest';
import { groupBand } from './group-band.js';
import { groupFields, groupRuns } from './group-runs.js';
import type { RunSummary } from './run-summary.js';

const run = (
  runId: string,
  optimizer: string,
  hyperparams: Record<string, number>,
  tags: string[] = [],
): RunSummary => ({
  runId,
  name: runId,
  status: 'completed',
  optimizer,
  hyperparams,
  step: 0,
  epoch: 0,
  loss: Number.NaN,
  bestLoss: Number.NaN,
  validationLoss: Number.NaN,
  learningRate: Number.NaN,
  time: 0,
  tags,
});

const runs = [
  run('a', 'sgd', { learningRate: 0.1, seed: 1 }, ['baseline']),
  run('b', 'sgd', { learningRate: 0.1, seed: 2 }),
  run('c', 'adam', { learningRate: 0.01, seed: 1 }, ['baseline']),
  run('d', 'sgd', { learningRate: 0.01, seed: 3 }),
];

describe('groupRuns', () => {
  it('groups the same config over seeds', () => {
    expect(groupRuns(runs, 'config')).toEqual([
      { key: 'sgd learningRate=0.1', label: 'sgd learningRate=0.1', runIds: ['a', 'b'] },
      { key: 'adam learningRate=0.01', label: 'adam learningRate=0.01', runIds: ['c'] },
      { key: 'sgd learningRate=0.01', label: 'sgd learningRate=0.01', runIds: ['d'] },
    ]);
  });

  it('groups by one field, tag or optimizer', () => {
    expect(groupRuns(runs, 'learningRate').map((g) => [g.label, g.runIds])).toEqual([
      ['learningRate = 0.1', ['a', 'b']],
      ['learningRate = 0.01', ['c', 'd']],
    ]);
    expect(groupRuns(runs, 'tag').map((g) => g.runIds)).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
    expect(groupFields(runs)).toEqual(['config', 'optimizer', 'status', 'tag', 'learningRate', 'seed']);
  });
});

describe('groupBand', () => {
  it('is the mean and min..max over the runs at each x, skipping non-finite values', () => {
    const band = groupBand([
      { x: [0, 1, 2], y: [4, 2, 1], length: 3 },
      { x: [0, 1, 2, 3], y: [2, 4, Number.NaN, 5], length: 4 },
    ]);
    expect(Array.from(band.x)).toEqual([0, 1, 2, 3]);
    expect(Array.from(band.mean)).toEqual([3, 3, 1, 5]);
    expect(Array.from(band.min)).toEqual([2, 2, 1, 5]);
    expect(Array.from(band.max)).toEqual([4, 4, 1, 5]);
  });
});
