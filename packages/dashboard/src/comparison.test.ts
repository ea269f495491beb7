import { describe, expect, it } from 'vitest';
import { comparisonColumns, sortRuns } from './comparison.js';
import type { RunSummary } from './run-summary.js';

const run = (name: string, hyperparams: Record<string, number>, loss: number): RunSummary => ({
  runId: name,
  name,
  status: 'completed',
  optimizer: 'sgd',
  hyperparams,
  step: 100,
  epoch: 1,
  loss,
  bestLoss: loss,
  validationLoss: Number.NaN,
  learningRate: 0.1,
  time: 0,
});

describe('comparisonColumns', () => {
  const runs = [
    run('a', { learningRate: 0.1, seed: 1 }, 0.5),
    run('b', { learningRate: 0.01, seed: 1 }, 0.2),
  ];
  const columns = comparisonColumns(runs);
  const byKey = Object.fromEntries(columns.map((c) => [c.key, c]));

  it('marks the columns whose values differ', () => {
    expect(byKey.learningRate!.differs).toBe(true);
    expect(byKey.seed!.differs).toBe(false);
    expect(byKey.optimizer!.differs).toBe(false);
    expect(byKey.loss!.differs).toBe(true);
  });

  it('finds the best metric and leaves out metrics nobody has', () => {
    expect(byKey.loss!.best).toBe(0.2);
    expect(byKey.validationLoss).toBeUndefined();
  });

  it('sorts numerically both ways, missing values last', () => {
    const three = [...runs, run('c', { seed: 2 }, 0.3)];
    const lr = comparisonColumns(three).find((c) => c.key === 'learningRate')!;
    expect(sortRuns(three, lr, 'ascending').map((r) => r.name)).toEqual(['b', 'a', 'c']);
    expect(sortRuns(three, lr, 'descending').map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });
});
