import { type ComponentCatalog, readComponent } from './component-catalog.js';
import { ConfigError } from './config-error.js';
import { FieldReader, fieldPath } from './field-reader.js';
import { lossCatalog, modelCatalog } from './model-catalog.js';
import { optimizerCatalog } from './optimizer-catalog.js';
import { scheduleCatalog } from './schedule-catalog.js';
import type {
  ColumnRef,
  ConvergenceConfig,
  DataConfig,
  EarlyStoppingConfig,
  TrainConfig,
} from './train-config.js';

/** Top-level fields of a training config, in the order the docs list them. */
export const TRAIN_CONFIG_FIELDS = [
  'name',
  'seed',
  'model',
  'loss',
  'data',
  'optimizer',
  'schedule',
  'batchSize',
  'shuffle',
  'epochs',
  'steps',
  'init',
  'stopping',
  'recordParams',
] as const;

const DATA_FIELDS = [
  'file',
  'format',
  'header',
  'delimiter',
  'features',
  'targets',
  'validationSplit',
  'scale',
];

function columns(reader: FieldReader, key: string): ColumnRef[] | undefined {
  const v = reader.raw(key);
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list.map((item, i) => {
    const ok =
      (typeof item === 'string' && item.length > 0) ||
      (typeof item === 'number' && Number.isInteger(item) && item >= 0);
    if (!ok) {
      throw new ConfigError({
        field: Array.isArray(v) ? fieldPath(reader.field(key), i) : reader.field(key),
        problem: `must be a column name or a 0-based column index, got ${JSON.stringify(item)}`,
      });
    }
    return item as ColumnRef;
  });
}

function readData(root: FieldReader): DataConfig {
  const value = root.raw('data');
  if (value === undefined) root.fail('data', 'is required: { file, features, targets, ... }');
  const data = FieldReader.of(typeof value === 'string' ? { file: value } : value, 'data').only(DATA_FIELDS);
  const file = data.requiredString('file');
  const inferred = /\.jsonl?$/i.test(file) || /\.ndjson$/i.test(file) ? 'jsonl' : 'csv';
  const format = data.choice('format', ['csv', 'jsonl'] as const, inferred);
  const config: DataConfig = {
    file,
    format,
    header: data.boolean('header', false),
    delimiter: data.string('delimiter'),
    features: columns(data, 'features'),
    targets: columns(data, 'targets'),
    validationSplit: data.number('validationSplit', { min: 0, below: 1, default: 0 }),
    scale: data.choice('scale', ['none', 'standard', 'minmax'] as const, 'none'),
  };
  data.finish(DATA_FIELDS);
  return config;
}

function readConvergence(stopping: FieldReader): ConvergenceConfig | undefined {
  const c = stopping.object('convergence');
  if (!c) return undefined;
  const config: ConvergenceConfig = {
    epsilon: c.requiredNumber('epsilon', { min: 0 }),
    patience: c.number('patience', { integer: true, min: 1, default: 1 }),
    on: c.choice('on', ['step', 'epoch'] as const, 'step'),
  };
  c.finish(['epsilon', 'patience', 'on']);
  return config;
}

function readEarlyStopping(stopping: FieldReader): EarlyStoppingConfig | undefined {
  const e = stopping.object('earlyStopping');
  if (!e) return undefined;
  const config: EarlyStoppingConfig = {
    monitor: e.string('monitor') ?? 'validationLoss',
    mode: e.choice('mode', ['min', 'max'] as const, 'min'),
    minDelta: e.number('minDelta', { min: 0, default: 0 }),
    patience: e.number('patience', { integer: true, min: 0, default: 5 }),
    restoreBest: e.boolean('restoreBest', true),
  };
  e.finish(['monitor', 'mode', 'minDelta', 'patience', 'restoreBest']);
  return config;
}

function readInit(root: FieldReader): TrainConfig['init'] {
  const v = root.raw('init');
  if (v === undefined) return 'model';
  if (v === 'zeros' || v === 'model') return v;
  if (Array.isArray(v)) return root.numbers('init')!;
  return root.fail('init', `must be a list of numbers, "zeros" or "model", got ${JSON.stringify(v)}`);
}

function component(
  root: FieldReader,
  key: string,
  catalog: ComponentCatalog<unknown, never>,
  nameKey: string,
) {
  const v = root.raw(key);
  if (v === undefined) return undefined;
  return readComponent(v, key, catalog, nameKey);
}

/**
 * Checks a training config (already parsed from JSON or YAML) and fills in its defaults. Every
 * problem is a {@link ConfigError} naming the field and, for fixed sets (optimizers, schedules,
 * models, losses, enumerations), the allowed values. Unknown fields are errors too.
 */
export function parseTrainConfig(value: unknown): TrainConfig {
  const root: FieldReader = FieldReader.of(value, '').only(TRAIN_CONFIG_FIELDS);
  const model = component(root, 'model', modelCatalog as ComponentCatalog<unknown, never>, 'type');
  if (!model) root.fail('model', 'is required', Object.keys(modelCatalog));
  const optimizer = component(
    root,
    'optimizer',
    optimizerCatalog as ComponentCatalog<unknown, never>,
    'name',
  );
  if (!optimizer) root.fail('optimizer', 'is required', Object.keys(optimizerCatalog));
  const batchRaw = root.raw('batchSize');
  let batchSize: number | 'full' = 'full';
  if (batchRaw !== undefined && batchRaw !== 'full')
    batchSize = root.number('batchSize', { integer: true, min: 1 })!;
  const stopping = root.object('stopping');
  const config: TrainConfig = {
    name: root.string('name'),
    seed: root.number('seed', { integer: true, default: 0 }),
    model,
    loss: component(root, 'loss', lossCatalog as ComponentCatalog<unknown, never>, 'name'),
    data: readData(root),
    optimizer,
    schedule: component(root, 'schedule', scheduleCatalog as ComponentCatalog<unknown, never>, 'name'),
    batchSize,
    shuffle: root.boolean('shuffle', true),
    epochs: root.number('epochs', { integer: true, min: 1 }),
    steps: root.number('steps', { integer: true, min: 1 }),
    init: readInit(root),
    convergence: stopping ? readConvergence(stopping) : undefined,
    earlyStopping: stopping ? readEarlyStopping(stopping) : undefined,
    recordParams: root.number('recordParams', { integer: true, min: 0, default: 0 }),
  };
  stopping?.finish(['convergence', 'earlyStopping']);
  if (config.epochs === undefined && config.steps === undefined) {
    root.fail('epochs', 'or steps is required: a run needs a length');
  }
  root.finish(TRAIN_CONFIG_FIELDS);
  return config;
}
