import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseTrainConfig } from './parse-train-config.js';

const valid = {
  model: 'linear',
  data: { file: 'points.csv', features: [0], targets: 1 },
  optimizer: { name: 'sgd', learningRate: 0.01 },
  epochs: 5,
};

function errorOf(config: unknown): ConfigError {
  try {
    parseTrainConfig(config);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTrainConfig', () => {
  it('fills in the defaults of a minimal config', () => {
    const config = parseTrainConfig(valid);
    expect(config.model).toEqual({ name: 'linear', options: {}, field: 'model' });
    expect(config.optimizer).toEqual({ name: 'sgd', options: { learningRate: 0.01 }, field: 'optimizer' });
    expect(config.data).toMatchObject({
      file: 'points.csv',
      format: 'csv',
      header: false,
      validationSplit: 0,
    });
    expect(config.data.features).toEqual([0]);
    expect(config.data.targets).toEqual([1]);
    expect(config).toMatchObject({ seed: 0, batchSize: 'full', shuffle: true, epochs: 5, init: 'model' });
    expect(config.schedule).toBeUndefined();
  });

  it('reads every section', () => {
    const config = parseTrainConfig({
      name: 'full',
      seed: 3,
      model: { type: 'polynomial', degree: 3, l2: 0.1 },
      loss: { name: 'huber', delta: 2 },
      data: { file: 'd.jsonl', features: ['a', 'b'], targets: 'y', validationSplit: 0.25, scale: 'standard' },
      optimizer: { name: 'adam', learningRate: 0.1, beta1: 0.8 },
      schedule: { name: 'cosine-warm-restarts', period: 10, periodMultiplier: 2 },
      batchSize: 8,
      steps: 100,
      init: [1, 2, 3, 4],
      stopping: {
        convergence: { epsilon: 1e-6, patience: 3 },
        earlyStopping: { patience: 2, minDelta: 0.01 },
      },
    });
    expect(config.model.options).toEqual({ degree: 3, l2: 0.1 });
    expect(config.loss).toEqual({ name: 'huber', options: { delta: 2 }, field: 'loss' });
    expect(config.data.format).toBe('jsonl');
    expect(config.data.targets).toEqual(['y']);
    expect(config.schedule?.options).toEqual({ period: 10, periodMultiplier: 2 });
    expect(config.init).toEqual([1, 2, 3, 4]);
    expect(config.convergence).toEqual({ epsilon: 1e-6, patience: 3, on: 'step' });
    expect(config.earlyStopping).toEqual({
      monitor: 'validationLoss',
      mode: 'min',
      minDelta: 0.01,
      patience: 2,
      restoreBest: true,
    });
  });

  it('names an unknown optimizer and lists the known ones', () => {
    const err = errorOf({ ...valid, optimizer: { name: 'adamm' } });
    expect(err.field).toBe('optimizer.name');
    expect(err.message).toContain('unknown value "adamm"');
    expect(err.allowed).toEqual(expect.arrayContaining(['sgd', 'momentum', 'rmsprop', 'adam', 'adagrad']));
    expect(err.message).toMatch(/allowed: sgd, momentum, nesterov, adagrad/);
  });

  it("names an unknown option of a component and lists that component's options", () => {
    const err = errorOf({ ...valid, optimizer: { name: 'sgd', learning_rate: 0.1 } });
    expect(err.field).toBe('optimizer.learning_rate');
    expect(err.problem).toBe('unknown field');
    expect(err.allowed).toEqual([
      'name',
      'learningRate',
      'weightDecay',
      'maximize',
      'momentum',
      'dampening',
      'nesterov',
    ]);
  });

  it('reports a misspelt top-level field as unknown, not the real one as missing', () => {
    const err = errorOf({ ...valid, optimiser: valid.optimizer, optimizer: undefined });
    expect(err.field).toBe('optimiser');
    expect(err.allowed).toContain('optimizer');
  });

  it('gives the allowed range of a number', () => {
    expect(errorOf({ ...valid, optimizer: { name: 'sgd', learningRate: -1 } }).message).toBe(
      'optimizer.learningRate: must be a number > 0, got number -1',
    );
    expect(errorOf({ ...valid, epochs: 2.5 }).message).toBe(
      'epochs: must be an integer >= 1, got number 2.5',
    );
    expect(errorOf({ ...valid, data: { file: 'a.csv', validationSplit: 1 } }).message).toBe(
      'data.validationSplit: must be a number >= 0 < 1, got number 1',
    );
  });

  it('lists models, schedules and losses', () => {
    expect(errorOf({ ...valid, model: 'cubic' }).allowed).toEqual([
      'linear',
      'polynomial',
      'logistic',
      'softmax',
      'mlp',
    ]);
    expect(errorOf({ ...valid, schedule: 'sgdr' }).allowed).toContain('cosine-warm-restarts');
    expect(errorOf({ ...valid, loss: 'l2' }).allowed).toEqual(
      expect.arrayContaining(['mse', 'mae', 'huber', 'cross-entropy']),
    );
  });

  it('requires a model, data, optimizer and a length', () => {
    expect(errorOf({ ...valid, model: undefined }).field).toBe('model');
    expect(errorOf({ ...valid, data: undefined }).field).toBe('data');
    expect(errorOf({ ...valid, data: { features: [0] } }).field).toBe('data.file');
    expect(errorOf({ ...valid, optimizer: undefined }).field).toBe('optimizer');
    expect(errorOf({ ...valid, epochs: undefined }).message).toContain('epochs: or steps is required');
  });

  it('checks columns, init and enumerations', () => {
    expect(errorOf({ ...valid, data: { file: 'a.csv', features: [0, -1] } }).field).toBe('data.features[1]');
    expect(errorOf({ ...valid, init: [1, 'x'] }).field).toBe('init[1]');
    expect(errorOf({ ...valid, init: 'random' }).field).toBe('init');
    const err = errorOf({ ...valid, stopping: { convergence: { epsilon: 1e-3, on: 'batch' } } });
    expect(err.field).toBe('stopping.convergence.on');
    expect(err.allowed).toEqual(['step', 'epoch']);
    expect(errorOf({ ...valid, stopping: { plateau: {} } }).field).toBe('stopping.plateau');
  });

  it('rejects a config that is not a mapping', () => {
    expect(errorOf([1, 2]).message).toBe('config: must be a mapping of fields, got a list');
  });

  it('suggests the name that was meant: a misspelt field, a value, a component', () => {
    const { epochs: _e, ...noEpochs } = valid;
    const fields = errorOf({ ...noEpochs, epoch: 5 });
    expect(fields.field).toBe('epoch');
    expect(fields.suggestion).toBe('epochs');
    expect(fields.message).toMatch(/^epoch: unknown field; did you mean "epochs"\? \(allowed: /);
    const option = errorOf({ ...valid, optimizer: { name: 'sgd', learning_rate: 0.1 } });
    expect(option.message).toMatch(/^optimizer\.learning_rate: unknown field; did you mean "learningRate"\?/);
    const schedule = errorOf({ ...valid, schedule: { name: 'cosine', decaySteps: 10 } });
    expect(schedule.message).toMatch(
      /^schedule\.name: unknown value "cosine"; did you mean "cosine-decay"\?/,
    );
    const choice = errorOf({ ...valid, data: { ...valid.data, scale: 'standart' } });
    expect(choice.suggestion).toBe('standard');
    // Nothing close: no suggestion, the allowed values as before.
    const far = errorOf({ ...valid, optimizer: 'banana' });
    expect(far.suggestion).toBeUndefined();
    expect(far.message).not.toContain('did you mean');
  });
});
