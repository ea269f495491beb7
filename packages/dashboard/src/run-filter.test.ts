import { describe, expect, it } from 'vitest';
import { parseRunFilter } from './run-filter.js';
import type { RunSummary } from './run-summary.js';

const run = (name: string, optimizer: string, hyperparams: Record<string, number>): RunSummary => ({
  runId: `id-${name}`,
  name,
  status: 'running',
  optimizer,
  hyperparams,
  step: 0,
  epoch: 0,
  loss: Number.NaN,
  bestLoss: Number.NaN,
  validationLoss: Number.NaN,
  learningRate: Number.NaN,
  time: 0,
});

describe('parseRunFilter', () => {
  const runs = [
    run('adam-small', 'adam', { learningRate: 0.001 }),
    run('sgd-big', 'sgd', { learningRate: 0.5 }),
  ];

  it('matches text case-insensitively across name, optimizer and hyperparameters', () => {
    expect(runs.filter(parseRunFilter('ADAM').test).map((r) => r.name)).toEqual(['adam-small']);
    expect(runs.filter(parseRunFilter('learningRate=0.5').test).map((r) => r.name)).toEqual(['sgd-big']);
    expect(runs.filter(parseRunFilter('  ').test)).toHaveLength(2);
  });

  it('treats /.../flags as a regular expression', () => {
    expect(runs.filter(parseRunFilter('/^sgd-/').test).map((r) => r.name)).toEqual(['sgd-big']);
    expect(runs.filter(parseRunFilter('/SMALL$/i').test).map((r) => r.name)).toEqual(['adam-small']);
  });

  it('reports a bad regex and filters nothing out', () => {
    const filter = parseRunFilter('/(/');
    expect(filter.error).toMatch(/invalid regular expression \/\(\//);
    expect(runs.filter(filter.test)).toHaveLength(2);
  });
});
