import type { RunSummary as ServerRunSummary } from '@downhill/protocol';
import { describe, expect, it } from 'vitest';
import { fromServerRun } from './from-server-run.js';

const serverRun = (patch: Partial<ServerRunSummary>): ServerRunSummary => ({
  runId: 'r1',
  name: 'adam run',
  status: 'running',
  origin: 'local',
  startedAt: 1000,
  updatedAt: 4000,
  lastSeq: 10,
  config: { optimizer: { name: 'adam', learningRate: 0.001, beta1: 0.9 }, batchSize: 32, seed: 7 },
  meta: {},
  step: 9,
  epoch: 0,
  loss: 0.5,
  learningRate: 0.002,
  hyperparams: { learningRate: 0.002 },
  ...patch,
});

describe('fromServerRun', () => {
  it('overlays live hyperparameters on the configured ones', () => {
    const run = fromServerRun(serverRun({}));
    expect(run).toMatchObject({
      runId: 'r1',
      name: 'adam run',
      status: 'running',
      optimizer: 'adam',
      hyperparams: { learningRate: 0.002, beta1: 0.9, batchSize: 32, seed: 7 },
      step: 9,
      loss: 0.5,
      time: 3000,
    });
    expect(run.validationLoss).toBeNaN();
    expect(run.bestLoss).toBeNaN();
    expect(fromServerRun(serverRun({ bestLoss: 0.25 })).bestLoss).toBe(0.25);
  });

  it('shows an ended run by its end reason', () => {
    expect(fromServerRun(serverRun({ status: 'ended', endReason: 'diverged' })).status).toBe('diverged');
    expect(fromServerRun(serverRun({ status: 'interrupted' })).status).toBe('interrupted');
  });
});
