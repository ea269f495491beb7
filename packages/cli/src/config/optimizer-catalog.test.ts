import { describe, expect, it } from 'vitest';
import { createComponent } from './component-catalog.js';
import { ConfigError } from './config-error.js';
import { configuredLearningRate, optimizerCatalog } from './optimizer-catalog.js';
import { parseTrainConfig } from './parse-train-config.js';

const base = {
  model: 'linear',
  data: { file: 'points.csv', features: [0], targets: 1 },
  epochs: 5,
};

function errorOf(optimizer: unknown): ConfigError {
  try {
    parseTrainConfig({ ...base, optimizer });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

// A 2 x 3 weight matrix and a bias of 2: what the model-aware optimizers need from a model.
const layout = [
  { name: 'w', kind: 'weight', offset: 0, rows: 2, cols: 3 },
  { name: 'b', kind: 'bias', offset: 6, rows: 1, cols: 2 },
] as const;
const objective = {
  dimension: 8,
  loss: (p: Float64Array, _batch: unknown, grad?: Float64Array) => {
    let f = 0;
    for (let i = 0; i < p.length; i++) {
      f += p[i]! * p[i]!;
      if (grad) grad[i] = 2 * p[i]!;
    }
    return f;
  },
};
const context = { learningRate: undefined, layout };

/** Each optimizer added with issue 21 (the ones that run inside train()), with options it accepts. */
const newOptimizers: Record<string, Record<string, unknown>> = {
  asgd: { learningRate: 0.01, lambd: 1e-4, alpha: 0.75, t0: 100, weightDecay: 0.1 },
  adabelief: { learningRate: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-12, weightDecay: 0.01 },
  yogi: { learningRate: 0.01, beta1: 0.8, initialAccumulator: 1e-6, biasCorrection: false },
  lamb: { learningRate: 0.01, beta2: 0.99, weightDecay: 0.01, excludeBiases: true },
  lars: { learningRate: 1, trustCoefficient: 0.002, momentum: 0.8, nesterov: true, excludeBiases: true },
  adafactor: { learningRate: 0.02, beta2Decay: -0.8, eps2: 1e-3, clipThreshold: 1 },
  'schedule-free-sgd': { learningRate: 0.5, beta1: 0.9, warmupSteps: 10 },
  'schedule-free-adamw': { learningRate: 0.01, beta2: 0.99, warmupSteps: 5, weightDecay: 0.01 },
  prodigy: { beta3: 0.9, d0: 1e-5, growthRate: 1.02, safeguardWarmup: true },
  muon: { learningRate: 0.02, momentum: 0.9, nsSteps: 5, adjustLearningRate: 'matchRmsAdamw' },
  sam: { rho: 0.1, base: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } },
  lbfgs: { maxIterations: 5, historySize: 10, lineSearch: 'strong-wolfe', toleranceGrad: 1e-9 },
  newton: { damping: 0.1, lineSearch: 'backtracking' },
};

describe('the optimizers of issue 21 in a train config', () => {
  it.each(Object.entries(newOptimizers))(
    '%s: reads its options and builds the optimizer',
    (name, options) => {
      const config = parseTrainConfig({ ...base, optimizer: { name, ...options } });
      expect(config.optimizer.name).toBe(name);
      const optimizer = createComponent(config.optimizer, optimizerCatalog, context);
      const params = Float64Array.from([1, -2, 3, 0.5, -1, 2, 0.1, -0.1]);
      const state = optimizer.init(params);
      const gradient = Float64Array.from(params, (p) => 2 * p);
      const updates = Float64Array.from(gradient);
      // `evaluate` as the run loop gives it (SAM takes its second gradient through it).
      const evaluate = (p: Float64Array, g: Float64Array) => objective.loss(p, undefined, g);
      const loss = objective.loss(params, undefined);
      optimizer.update(updates, state, params, { step: 0, loss, overrides: {}, current: {}, evaluate });
      // A descent direction on sum p^2 (Muon's orthogonalised step opposes the gradient as a whole,
      // not coordinate by coordinate).
      let slope = 0;
      for (let i = 0; i < params.length; i++) slope += updates[i]! * gradient[i]!;
      expect(slope).toBeLessThan(0);
    },
  );

  it("muon: orthogonalises the model's weight matrices only (the layout reaches it)", () => {
    const config = parseTrainConfig({ ...base, optimizer: 'muon' });
    const optimizer = createComponent(config.optimizer, optimizerCatalog, context);
    const state = optimizer.init(new Float64Array(8)) as { momentumBuffer: Float64Array };
    expect(state.momentumBuffer).toHaveLength(6);
  });

  it('lists every optimizer when the name is unknown, and suggests the close ones', () => {
    const err = errorOf({ name: 'adabelif' });
    expect(err.field).toBe('optimizer.name');
    expect(err.suggestion).toBe('adabelief');
    expect(err.allowed).toEqual(expect.arrayContaining(Object.keys(newOptimizers)));
    expect(errorOf('schedulefree_sgd').suggestion).toBe('schedule-free-sgd');
    expect(errorOf('schedule-free').suggestion).toBe('schedule-free-sgd');
    expect(errorOf('mun').suggestion).toBe('muon');
  });

  it('names the hyperparameter and its range', () => {
    expect(errorOf({ name: 'lamb', beta2: 1 }).message).toBe(
      'optimizer.beta2: must be a number >= 0 < 1, got number 1',
    );
    expect(errorOf({ name: 'adafactor', beta2Decay: 0.5 }).message).toBe(
      'optimizer.beta2Decay: must be a number <= 0, got number 0.5',
    );
    expect(errorOf({ name: 'schedule-free-sgd', warmupSteps: 2.5 }).message).toBe(
      'optimizer.warmupSteps: must be an integer >= 0, got number 2.5',
    );
    expect(errorOf({ name: 'prodigy', growthRate: 0.5 }).field).toBe('optimizer.growthRate');
    expect(errorOf({ name: 'lars', trustCoefficient: 0 }).field).toBe('optimizer.trustCoefficient');
    expect(errorOf({ name: 'lbfgs', historySize: 0 }).message).toBe(
      'optimizer.historySize: must be an integer >= 1, got number 0',
    );
    const search = errorOf({ name: 'lbfgs', lineSearch: 'strong_wolfe' });
    expect(search.field).toBe('optimizer.lineSearch');
    expect(search.suggestion).toBe('strong-wolfe');
  });

  it('suggests the option meant, per optimizer', () => {
    const typo = errorOf({ name: 'lamb', exclude_biases: true });
    expect(typo.field).toBe('optimizer.exclude_biases');
    expect(typo.suggestion).toBe('excludeBiases');
    // Schedule-free SGD has no beta2: it is not offered, AdamW's is.
    expect(errorOf({ name: 'schedule-free-sgd', beta2: 0.9 }).allowed).not.toContain('beta2');
    expect(errorOf({ name: 'schedule-free-adamw', beta_2: 0.9 }).suggestion).toBe('beta2');
    const choice = errorOf({ name: 'muon', adjustLearningRate: 'matchRms' });
    expect(choice.field).toBe('optimizer.adjustLearningRate');
    expect(choice.suggestion).toBe('matchRmsAdamw');
  });

  it('sam: requires the base optimizer and checks it as a config of its own', () => {
    const missing = errorOf({ name: 'sam', rho: 0.05 });
    expect(missing.message).toMatch(/^optimizer\.base: is required for sam/);
    const misspelt = errorOf({ name: 'sam', bse: 'sgd' });
    expect(misspelt.field).toBe('optimizer.bse');
    expect(misspelt.suggestion).toBe('base');
    const baseName = errorOf({ name: 'sam', base: 'sgdd' });
    expect(baseName.field).toBe('optimizer.base.name');
    expect(baseName.suggestion).toBe('sgd');
    expect(errorOf({ name: 'sam', base: { name: 'adam', learningRate: 0 } }).message).toBe(
      'optimizer.base.learningRate: must be a number > 0, got number 0',
    );
    const config = parseTrainConfig({
      ...base,
      optimizer: { name: 'sam', base: { name: 'adam', beta1: 0.8 } },
    });
    expect(config.optimizer.options.base).toEqual({
      name: 'adam',
      options: { beta1: 0.8 },
      field: 'optimizer.base',
    });
  });

  it("reports the library's own refusals on the optimizer's field", () => {
    const config = parseTrainConfig({
      ...base,
      optimizer: { name: 'sam', base: { name: 'sgd', nesterov: true } },
    });
    let err: unknown;
    try {
      createComponent(config.optimizer, optimizerCatalog, context);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('optimizer.base');
    const lbfgsBase = parseTrainConfig({ ...base, optimizer: { name: 'sam', base: 'lbfgs' } });
    expect(() => createComponent(lbfgsBase.optimizer, optimizerCatalog, context)).toThrow(
      "optimizer: sam's base must be a first-order optimizer, not lbfgs",
    );
    const muon = parseTrainConfig({ ...base, optimizer: 'muon' });
    expect(() => createComponent(muon.optimizer, optimizerCatalog, { learningRate: undefined })).toThrow(
      "optimizer: muon needs the model's parameter layout",
    );
  });

  it('finds the learning rate a schedule starts from, through sam', () => {
    const sam = parseTrainConfig({
      ...base,
      optimizer: { name: 'sam', base: { name: 'sgd', learningRate: 0.3 } },
    });
    expect(configuredLearningRate(sam.optimizer)).toBe(0.3);
    expect(
      configuredLearningRate(parseTrainConfig({ ...base, optimizer: 'lamb' }).optimizer),
    ).toBeUndefined();
  });
});
