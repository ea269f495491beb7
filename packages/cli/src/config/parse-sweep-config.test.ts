import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseSweepConfig } from './parse-sweep-config.js';

const train = {
  model: 'logistic',
  data: { file: 'data.csv', header: true, validationSplit: 0.2 },
  optimizer: { name: 'sgd', learningRate: 0.1 },
  epochs: 9,
};
const base = {
  algorithm: 'random',
  trials: 4,
  space: { optimizer: { learningRate: { logUniform: [0.001, 1] }, momentum: { uniform: [0, 0.9] } } },
  train,
};
const parse = (value: unknown) => parseSweepConfig(value, { baseDir: '/cfg' });
const errorOf = (value: unknown): ConfigError => {
  try {
    parse(value);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
};

describe('parseSweepConfig', () => {
  it('reads the space as dotted paths into the train config, with defaults', () => {
    const config = parse({
      ...base,
      space: {
        optimizer: {
          name: { choice: ['sgd', 'adam'] },
          learningRate: { logUniform: [0.001, 1] },
          momentum: { uniform: [0, 0.9], when: { 'optimizer.name': 'sgd' } },
        },
        batchSize: { integer: [8, 64], log: true },
        epochs: 5,
      },
      earlyTermination: 'asha',
    });
    expect(config.space).toEqual({
      'optimizer.name': { kind: 'categorical', choices: ['sgd', 'adam'] },
      'optimizer.learningRate': { kind: 'logUniform', low: 0.001, high: 1 },
      'optimizer.momentum': {
        kind: 'conditional',
        parent: 'optimizer.name',
        values: ['sgd'],
        domain: { kind: 'uniform', low: 0, high: 0.9 },
      },
      batchSize: { kind: 'integer', low: 8, high: 64, log: true },
      epochs: { kind: 'fixed', value: 5 },
    });
    // The space's epochs (5) are the trials' epochs, so ASHA's max budget.
    expect(config.asha).toEqual({ minBudget: 1, maxBudget: 5, reductionFactor: 3 });
    expect(config.epochs).toBe(5);
    expect([config.metric, config.mode, config.executor, config.seed]).toEqual([
      'validationLoss',
      'min',
      'inline',
      0,
    ]);
  });

  it('counts a grid and takes pbt population as the trials', () => {
    expect(parse({ ...base, algorithm: { name: 'grid', steps: 3 }, trials: undefined }).trials).toBe(9);
    const pbt = parse({
      ...base,
      trials: undefined,
      algorithm: { name: 'pbt', population: 6, perturbationInterval: 3 },
    });
    expect(pbt.trials).toBe(6);
    expect(pbt.algorithm).toEqual({
      name: 'pbt',
      population: 6,
      perturbationInterval: 3,
      quantileFraction: 0.25,
      resampleProbability: 0.25,
    });
  });

  it('names the space parameter whose value the train config refuses, with the closest field', () => {
    const misspelt = errorOf({
      ...base,
      space: { optimizer: { learning_rate: { logUniform: [0.001, 1] } } },
    });
    expect(misspelt.field).toBe('space.optimizer.learning_rate');
    expect(misspelt.message).toContain(
      'gives train.optimizer.learning_rate: unknown field; did you mean "learningRate"?',
    );
    // The low end of the range is checked as well as the high one.
    const zero = errorOf({ ...base, space: { optimizer: { learningRate: { uniform: [0, 1] } } } });
    expect(zero.field).toBe('space.optimizer.learningRate');
    expect(zero.message).toMatch(
      /^space\.optimizer\.learningRate: 0 gives train\.optimizer\.learningRate: must be/,
    );
    // Every choice of a categorical is tried.
    const optimizer = errorOf({ ...base, space: { optimizer: { name: { choice: ['sgd', 'adamm'] } } } });
    expect(optimizer.field).toBe('space.optimizer.name');
    expect(optimizer.message).toContain('did you mean "adam"?');
  });

  it('names bad sweep fields, with suggestions', () => {
    expect(errorOf({ ...base, algorithm: 'tpee' }).message).toBe(
      'algorithm.name: unknown value "tpee"; did you mean "tpe"? (allowed: grid, random, tpe, pbt)',
    );
    expect(errorOf({ ...base, trails: 3 }).message).toMatch(
      /^trails: unknown field; did you mean "trials"\?/,
    );
    expect(errorOf({ ...base, trials: undefined }).message).toBe(
      'trials: is required for random: an integer >= 1',
    );
    expect(errorOf({ ...base, space: { optimizer: { learningRate: { logUniform: [0, 1] } } } }).message).toBe(
      'space.optimizer.learningRate: logUniform low must be > 0, got 0',
    );
    expect(errorOf({ ...base, space: { optimizer: { learningRate: { logUniform: [0.1] } } } }).field).toBe(
      'space.optimizer.learningRate.logUniform',
    );
    expect(
      errorOf({
        ...base,
        space: { optimizer: { momentum: { uniform: [0, 1], when: { 'optimizer.nam': 'sgd' } } } },
      }).field,
    ).toBe('space.optimizer.momentum.when.optimizer.nam');
    expect(errorOf({ ...base, space: { epochs: 3 } }).message).toBe(
      'space: has nothing to search: every parameter is fixed',
    );
    expect(errorOf({ ...base, earlyTermination: { name: 'asha', maxBudget: 1 } }).field).toBe(
      'earlyTermination.maxBudget',
    );
    expect(
      errorOf({
        ...base,
        trials: undefined,
        executor: 'threads',
        algorithm: { name: 'pbt', population: 4, perturbationInterval: 2 },
      }).message,
    ).toBe('executor: pbt runs inline only (threads are for grid, random and tpe)');
    const inTrain = errorOf({ ...base, train: { ...train, optimizer: { name: 'sgdd' } } });
    expect(inTrain.field).toBe('train.optimizer.name');
    expect(inTrain.message).toContain('did you mean "sgd"?');
  });
});
