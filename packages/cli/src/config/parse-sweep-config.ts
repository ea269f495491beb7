import {
  categorical,
  checkSpace,
  conditional,
  type Domain,
  fixed,
  gridPoints,
  integer,
  isActive,
  type LeafDomain,
  logUniform,
  type ParamValue,
  type SearchSpace,
  type SpaceParam,
  uniform,
} from '@downhill/sweep';
import { ConfigError } from './config-error.js';
import { FieldReader, fieldPath } from './field-reader.js';
import { parseTrainConfig } from './parse-train-config.js';
import { setPath } from './set-path.js';
import type { AshaConfig, SweepAlgorithm, SweepConfig } from './sweep-config.js';
import type { TrainConfig } from './train-config.js';

/** Top-level fields of a sweep config, in the order the docs list them. */
export const SWEEP_CONFIG_FIELDS = [
  'name',
  'algorithm',
  'seed',
  'trials',
  'metric',
  'mode',
  'earlyTermination',
  'executor',
  'concurrency',
  'space',
  'train',
] as const;

const ALGORITHMS = ['grid', 'random', 'tpe', 'pbt'] as const;
const DOMAIN_KEYS = ['uniform', 'logUniform', 'integer', 'choice'] as const;

type Plain = Record<string, unknown>;
const isMapping = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): v is ParamValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function readAlgorithm(root: FieldReader): SweepAlgorithm {
  const raw = root.raw('algorithm');
  if (raw === undefined) root.fail('algorithm', 'is required', ALGORITHMS);
  const a: FieldReader = FieldReader.of(typeof raw === 'string' ? { name: raw } : raw, 'algorithm');
  const name = a.choice('name', ALGORITHMS);
  let out: SweepAlgorithm;
  let fields: string[];
  switch (name) {
    case 'grid':
      out = { name, steps: a.number('steps', { integer: true, min: 2, default: 5 }) };
      fields = ['name', 'steps'];
      break;
    case 'random':
      out = { name };
      fields = ['name'];
      break;
    case 'tpe':
      out = { name, startupTrials: a.number('startupTrials', { integer: true, min: 1, default: 10 }) };
      fields = ['name', 'startupTrials'];
      break;
    case 'pbt':
      out = {
        name,
        population: a.requiredNumber('population', { integer: true, min: 2 }),
        perturbationInterval: a.requiredNumber('perturbationInterval', { integer: true, min: 1 }),
        quantileFraction: a.number('quantileFraction', { above: 0, max: 0.5, default: 0.25 }),
        resampleProbability: a.number('resampleProbability', { min: 0, max: 1, default: 0.25 }),
      };
      fields = ['name', 'population', 'perturbationInterval', 'quantileFraction', 'resampleProbability'];
      break;
  }
  a.finish(fields);
  return out;
}

function pair(reader: FieldReader, key: string, integers: boolean): [number, number] {
  const v = reader.numbers(key);
  if (v === undefined || v.length !== 2)
    reader.fail(key, `must be a list of two numbers [low, high], got ${JSON.stringify(reader.raw(key))}`);
  if (integers && !v.every(Number.isInteger))
    reader.fail(key, `must be two integers [low, high], got [${v.join(', ')}]`);
  return [v[0]!, v[1]!];
}

function readDomain(value: Plain, field: string, names: ReadonlySet<string>): Domain {
  const d: FieldReader = FieldReader.of(value, field).only([...DOMAIN_KEYS, 'log', 'when']);
  const kinds = DOMAIN_KEYS.filter((k) => d.has(k));
  if (kinds.length > 1)
    d.fail(kinds[1]!, `a parameter takes one of ${DOMAIN_KEYS.join(', ')}, got ${kinds.join(' and ')}`);
  const kind = kinds[0]!;
  let domain: Domain;
  if (kind === 'choice') {
    const choices = d.raw('choice');
    if (!Array.isArray(choices) || choices.length === 0 || !choices.every(isScalar))
      d.fail(
        'choice',
        `must be a non-empty list of numbers, strings or booleans, got ${JSON.stringify(choices)}`,
      );
    domain = categorical(choices);
  } else if (kind === 'integer') {
    const [low, high] = pair(d, 'integer', true);
    domain = integer({ low, high, log: d.boolean('log', false) });
  } else {
    const [low, high] = pair(d, kind, false);
    domain = kind === 'uniform' ? uniform({ low, high }) : logUniform({ low, high });
  }
  if (kind !== 'integer' && d.has('log')) d.fail('log', 'applies to integer only (use logUniform for reals)');
  const when = d.object('when');
  if (when === undefined) return domain;
  const parents = Object.keys((d.raw('when') as Plain) ?? {});
  if (parents.length !== 1)
    d.fail(
      'when',
      `must name exactly one earlier parameter and its values, got ${parents.length} parameters`,
    );
  const parent = parents[0]!;
  if (!names.has(parent)) when.fail(parent, 'is not a parameter declared above this one', [...names], parent);
  const raw = when.raw(parent);
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0 || !values.every(isScalar))
    when.fail(parent, `must be a value or a list of values, got ${JSON.stringify(raw)}`);
  return conditional({ parent, values, domain });
}

/** The space: nested mappings down to the parameters; a parameter's name is its dotted path. */
function readSpace(value: unknown, field: string, prefix: string, out: Record<string, Domain>): void {
  if (!isMapping(value))
    throw new ConfigError({
      field,
      problem:
        'must be a mapping of parameters (for example optimizer: { learningRate: { logUniform: [0.0001, 1] } })',
    });
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    const at = fieldPath(field, key);
    if (isScalar(v)) out[name] = fixed(v);
    else if (isMapping(v) && DOMAIN_KEYS.some((k) => k in v))
      out[name] = readDomain(v, at, new Set(Object.keys(out)));
    else if (isMapping(v) && 'when' in v)
      throw new ConfigError({ field: at, problem: `needs a domain beside when`, allowed: DOMAIN_KEYS });
    else if (isMapping(v)) readSpace(v, at, name, out);
    else
      throw new ConfigError({
        field: at,
        problem: `must be a value, a domain ({ uniform: [low, high] }, { logUniform: [low, high] }, { integer: [low, high] }, { choice: [...] }) or a mapping of parameters, got ${JSON.stringify(v)}`,
      });
  }
}

function checkedSpace(space: SearchSpace): readonly SpaceParam[] {
  try {
    return checkSpace(space);
  } catch (err) {
    const match = /^sweep space: parameter "([^"]+)": (.*)$/.exec((err as Error).message);
    if (match) throw new ConfigError({ field: `space.${match[1]}`, problem: match[2]! });
    throw err;
  }
}

/** Values that stand for a parameter when the train config is checked: a range's ends, every choice. */
function representatives(domain: LeafDomain): ParamValue[] {
  switch (domain.kind) {
    case 'uniform':
    case 'logUniform':
    case 'integer':
      return [domain.low, domain.high];
    case 'categorical':
      return [...domain.choices];
    case 'fixed':
      return [domain.value];
  }
}

/** The train config of a trial whose hyperparameters are `config`. */
export function trialTrainConfig(
  train: Readonly<Plain>,
  config: Readonly<Record<string, ParamValue>>,
): Plain {
  let out: Plain = { ...train };
  for (const [name, value] of Object.entries(config)) out = setPath(out, name, value);
  return out;
}

/**
 * Checks the train config with every parameter at each end of its range (every choice of a
 * categorical), the others at their first values, so that a value the train config refuses (a
 * learning rate of 0, an unknown optimizer, a misspelt option) is reported before any trial
 * runs, at the space's parameter. Returns the train config of the first probe.
 */
function checkTrain(train: Plain, params: readonly SpaceParam[]): TrainConfig {
  let first: TrainConfig | undefined;
  const probe = (forced: Record<string, ParamValue>, blame: string | undefined) => {
    const config: Record<string, ParamValue> = {};
    for (const q of params) {
      if (q.name in forced) config[q.name] = forced[q.name]!;
      else if (isActive(q, config)) config[q.name] = representatives(q.domain)[0]!;
    }
    try {
      const parsed = parseTrainConfig(trialTrainConfig(train, config));
      first ??= parsed;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const param = params.find((p) => err.field === p.name || err.field.startsWith(`${p.name}.`));
      if (param !== undefined)
        throw new ConfigError({
          field: `space.${param.name}`,
          problem: `${JSON.stringify(config[param.name])} gives train.${err.field}: ${err.problem}`,
          ...(err.allowed ? { allowed: err.allowed } : {}),
          ...(err.suggestion !== undefined ? { suggestion: err.suggestion } : {}),
        });
      throw new ConfigError({
        field: `train.${err.field}`,
        problem: blame ? `${err.problem} (with ${blame})` : err.problem,
        ...(err.allowed ? { allowed: err.allowed } : {}),
        ...(err.suggestion !== undefined ? { suggestion: err.suggestion } : {}),
      });
    }
  };
  probe({}, undefined);
  for (const p of params) {
    for (const value of representatives(p.domain)) {
      const forced: Record<string, ParamValue> = { [p.name]: value };
      for (const c of p.conditions) forced[c.parent] = c.values[0]!;
      probe(forced, `${p.name} = ${JSON.stringify(value)}`);
    }
  }
  return first!;
}

function readAsha(root: FieldReader, epochs: number | undefined): AshaConfig | undefined {
  const raw = root.raw('earlyTermination');
  if (raw === undefined) return undefined;
  const e: FieldReader = FieldReader.of(typeof raw === 'string' ? { name: raw } : raw, 'earlyTermination');
  e.choice('name', ['asha'] as const);
  const minBudget = e.number('minBudget', { integer: true, min: 1, default: 1 });
  const maxBudget = e.number('maxBudget', { integer: true, min: 2 }) ?? epochs;
  if (maxBudget === undefined) e.fail('maxBudget', 'is required when train.epochs is not given');
  if (maxBudget <= minBudget) e.fail('maxBudget', `must be > minBudget (${minBudget}), got ${maxBudget}`);
  const reductionFactor = e.number('reductionFactor', { above: 1, default: 3 });
  e.finish(['name', 'minBudget', 'maxBudget', 'reductionFactor']);
  return { minBudget, maxBudget, reductionFactor };
}

/**
 * Checks a sweep config given as plain data. `train` is the train config when the file names
 * another file for it (`train: train.yaml`), with the folder its paths are relative to. Errors are
 * {@link ConfigError}s naming the field (`space.optimizer.learningRate`, `algorithm.population`,
 * `train.optimizer.name`) with the closest allowed name when one was misspelt.
 */
export function parseSweepConfig(
  value: unknown,
  options: {
    readonly baseDir: string;
    readonly train?: { readonly value: unknown; readonly baseDir: string };
  },
): SweepConfig {
  const root: FieldReader = FieldReader.of(value, '').only(SWEEP_CONFIG_FIELDS);
  const name = root.string('name');
  const algorithm = readAlgorithm(root);
  const seed = root.number('seed', { integer: true, default: 0 });
  const trainRaw = options.train?.value ?? root.raw('train');
  if (trainRaw === undefined)
    root.fail('train', "is required: the trials' train config, or the path of its file");
  if (!isMapping(trainRaw))
    root.fail(
      'train',
      `must be a train config (a mapping) or the path of its file, got ${JSON.stringify(trainRaw)}`,
    );
  root.raw('train');
  const spaceRaw = root.raw('space');
  if (spaceRaw === undefined) root.fail('space', 'is required: the hyperparameters to search');
  const domains: Record<string, Domain> = {};
  readSpace(spaceRaw, 'space', '', domains);
  const params = checkedSpace(domains);
  if (!params.some((p) => p.domain.kind !== 'fixed'))
    root.fail('space', 'has nothing to search: every parameter is fixed');
  const trainConfig = checkTrain(trainRaw, params);
  let trials = root.number('trials', { integer: true, min: 1 });
  if (algorithm.name === 'pbt') {
    if (trials !== undefined)
      root.fail('trials', 'does not apply to pbt: its budget is algorithm.population');
    if (trainConfig.epochs === undefined)
      root.fail('train', 'needs epochs for pbt (its perturbation interval is in epochs)');
    trials = algorithm.population;
  } else if (algorithm.name === 'grid') {
    trials ??= gridPoints(params, algorithm.steps).length;
  } else if (trials === undefined) root.fail('trials', `is required for ${algorithm.name}: an integer >= 1`);
  const asha = readAsha(root, trainConfig.epochs);
  if (asha !== undefined && algorithm.name === 'pbt')
    root.fail('earlyTermination', 'does not apply to pbt (its bottom members exploit the top ones instead)');
  const config: SweepConfig = {
    name,
    algorithm,
    seed,
    trials,
    metric: root.string('metric') ?? 'validationLoss',
    mode: root.choice('mode', ['min', 'max'] as const, 'min'),
    executor: root.choice('executor', ['inline', 'threads'] as const, 'inline'),
    concurrency: root.number('concurrency', { integer: true, min: 1 }),
    asha,
    space: domains,
    train: trainRaw,
    epochs: trainConfig.epochs,
    trainBaseDir: options.train?.baseDir ?? options.baseDir,
  };
  if (config.executor === 'threads' && algorithm.name === 'pbt')
    root.fail('executor', 'pbt runs inline only (threads are for grid, random and tpe)');
  root.finish([...SWEEP_CONFIG_FIELDS]);
  return config;
}
