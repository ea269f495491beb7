import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type Batch,
  earlyStopping,
  stopOnConvergence,
  type TrainEvent,
  type TrainSpec,
} from '@downhill/core';
import {
  type Dataset,
  fullBatchLoader,
  miniBatchLoader,
  readCsv,
  readJsonLines,
  scaleSplits,
  splitDataset,
} from '@downhill/data';
import type { Loss, Model } from '@downhill/models';
import { descriptionOf } from '@downhill/schedules';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { checkTargets } from './check-targets.js';
import { createComponent } from './config/component-catalog.js';
import { ConfigError } from './config/config-error.js';
import { lossCatalog, modelCatalog } from './config/model-catalog.js';
import { configuredLearningRate, optimizerCatalog } from './config/optimizer-catalog.js';
import { scheduleCatalog } from './config/schedule-catalog.js';
import type { TrainConfig } from './config/train-config.js';

/** A config turned into everything `train()` needs, plus the stopping operators to apply to its events. */
export interface PreparedRun {
  readonly spec: TrainSpec<Batch>;
  readonly model: Model;
  readonly operators: readonly MonoTypeOperatorFunction<TrainEvent>[];
  /** Absolute path of the data file. */
  readonly dataFile: string;
  readonly trainRows: number;
  readonly validationRows: number;
}

async function readDataset(config: TrainConfig, file: string): Promise<Dataset> {
  try {
    await access(file);
  } catch {
    throw new ConfigError({ field: 'data.file', problem: `data file not found: ${file}` });
  }
  const { data } = config;
  const columns = {
    ...(data.features ? { features: data.features } : {}),
    ...(data.targets ? { targets: data.targets } : {}),
  };
  if (data.format === 'jsonl') return readJsonLines({ input: file, ...columns });
  return readCsv({
    input: file,
    header: data.header,
    ...(data.delimiter ? { delimiter: data.delimiter } : {}),
    ...columns,
  });
}

function initialParams(config: TrainConfig, model: Model): TrainSpec['params'] {
  const { init } = config;
  if (init === 'zeros') return new Float64Array(model.dimension);
  if (init === 'model') return (rng) => model.initialize(rng);
  if (init.length !== model.dimension) {
    const blocks = model.layout.map((b) => `${b.name} ${b.rows}x${b.cols}`).join(', ');
    throw new ConfigError({
      field: 'init',
      problem: `has ${init.length} values, the model has ${model.dimension} parameters (${blocks})`,
    });
  }
  return init;
}

/**
 * Reads the data a config names and builds the model, optimizer, schedule, loaders and stopping
 * operators. `baseDir` is the folder relative data paths are resolved against (the config
 * file's). A missing data file is a {@link ConfigError} on `data.file` naming the full path; a
 * malformed data file is a `DataError` naming file, line and column.
 */
export async function prepareRun(config: TrainConfig, baseDir: string): Promise<PreparedRun> {
  const dataFile = resolve(baseDir, config.data.file);
  const dataset = await readDataset(config, dataFile);
  checkTargets(config, dataset, dataFile);
  const split = splitDataset(dataset, { validation: config.data.validationSplit, seed: config.seed });
  const parts =
    config.data.scale === 'none'
      ? split
      : scaleSplits(split, { method: config.data.scale === 'standard' ? 'standard' : 'min-max' });
  const train = parts.train;
  const validation = parts.validation;

  const loss: Loss | undefined = config.loss
    ? createComponent(config.loss, lossCatalog, undefined)
    : undefined;
  const model = createComponent(config.model, modelCatalog, {
    inputs: train.x.cols,
    outputs: train.y.cols,
    loss,
    lossName: config.loss?.name,
  });
  const baseRate = configuredLearningRate(config.optimizer);
  const schedule = config.schedule
    ? createComponent(config.schedule, scheduleCatalog, { learningRate: baseRate })
    : undefined;

  const loader =
    config.batchSize === 'full' || config.batchSize >= train.x.rows
      ? fullBatchLoader(train)
      : miniBatchLoader(train, { batchSize: config.batchSize, shuffle: config.shuffle, seed: config.seed });
  const optimizer = createComponent(config.optimizer, optimizerCatalog, {
    learningRate: schedule,
    layout: model.layout,
  });
  const hasValidation = validation.x.rows > 0;
  // The model's own metrics (RMSE and R^2, or accuracy) on the held-out rows, once per epoch.
  const validationBatch: Batch = { x: validation.x, y: validation.y };
  const metrics = hasValidation
    ? (params: Float64Array) => model.metrics(params, validationBatch)
    : undefined;
  const metricNames = metrics ? Object.keys(metrics(new Float64Array(model.dimension))) : [];
  const operators: MonoTypeOperatorFunction<TrainEvent>[] = [];
  if (config.convergence) operators.push(stopOnConvergence(config.convergence));
  if (config.earlyStopping) {
    const e = config.earlyStopping;
    if (e.monitor !== 'loss' && !hasValidation) {
      throw new ConfigError({
        field: 'stopping.earlyStopping.monitor',
        problem: `${e.monitor} needs held-out rows: set data.validationSplit, or monitor "loss"`,
      });
    }
    // A metric named loss is the validation loss again; 'loss' itself means the training loss.
    const monitors = ['loss', 'validationLoss', ...metricNames.filter((m) => m !== 'loss')];
    if (!monitors.includes(e.monitor)) {
      throw new ConfigError({
        field: 'stopping.earlyStopping.monitor',
        problem: `unknown value ${JSON.stringify(e.monitor)} for the ${model.describe().name} model`,
        allowed: monitors,
      });
    }
    operators.push(earlyStopping(e));
  }
  const spec: TrainSpec<Batch> = {
    objective: model,
    optimizer,
    params: initialParams(config, model),
    loader,
    ...(hasValidation ? { validation: fullBatchLoader(validation) } : {}),
    ...(metrics ? { metrics } : {}),
    ...(config.epochs !== undefined ? { epochs: config.epochs } : {}),
    ...(config.steps !== undefined ? { steps: config.steps } : {}),
    seed: config.seed,
    ...(config.recordParams > 0 ? { recordParams: config.recordParams } : {}),
    config: {
      ...(config.name ? { name: config.name } : {}),
      ...(schedule ? { schedule: descriptionOf(schedule) } : {}),
      dataFile,
    },
  };
  return { spec, model, operators, dataFile, trainRows: train.x.rows, validationRows: validation.x.rows };
}
