import { dirname, resolve } from 'node:path';
import { checkSpace, isActive, type ParamValue } from '@downhill/sweep';
import { ConfigError } from './config/config-error.js';
import { type ConfigFile, loadConfigFile } from './config/load-config-file.js';
import { parseSweepConfig, trialTrainConfig } from './config/parse-sweep-config.js';
import { parseTrainConfig } from './config/parse-train-config.js';
import type { SweepConfig } from './config/sweep-config.js';
import { prepareRun } from './prepare-run.js';

/**
 * Reads and checks a sweep config file (and the train config file it names, if it names one).
 * Errors carry file, line and column: a `train.*` field in the train config's own file when it
 * came from one. Then builds one trial's run, so that a missing data file or a metric the model
 * does not report is refused before any trial starts.
 */
export async function loadSweepConfig(path: string): Promise<SweepConfig> {
  const file = await loadConfigFile(path);
  let trainFile: ConfigFile | undefined;
  const trainValue = (file.value as { train?: unknown } | null)?.train;
  if (typeof trainValue === 'string') {
    try {
      trainFile = await loadConfigFile(resolve(file.baseDir, trainValue));
    } catch (err) {
      if (err instanceof ConfigError)
        throw new ConfigError({ field: 'train', problem: err.message }).at(file.locate('train'));
      throw err;
    }
  }
  let config: SweepConfig;
  try {
    config = parseSweepConfig(file.value, {
      baseDir: file.baseDir,
      ...(trainFile ? { train: { value: trainFile.value, baseDir: dirname(trainFile.file) } } : {}),
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (trainFile && err.field.startsWith('train.')) {
      const inner = err.field.slice('train.'.length);
      throw new ConfigError({
        field: inner,
        problem: err.problem,
        ...(err.allowed ? { allowed: err.allowed } : {}),
        ...(err.suggestion !== undefined ? { suggestion: err.suggestion } : {}),
      }).at(trainFile.locate(inner));
    }
    throw err.at(file.locate(err.field));
  }
  // One trial's run, its parameters at their first values.
  const probe: Record<string, ParamValue> = {};
  for (const p of checkSpace(config.space)) {
    if (!isActive(p, probe)) continue;
    const d = p.domain;
    probe[p.name] = d.kind === 'categorical' ? d.choices[0]! : d.kind === 'fixed' ? d.value : d.low;
  }
  const prepared = await prepareRun(
    parseTrainConfig(trialTrainConfig(config.train, probe)),
    config.trainBaseDir,
  );
  const metrics = prepared.spec.metrics?.(new Float64Array(prepared.model.dimension)) ?? {};
  // A metric named loss is the validation loss again; 'loss' itself means the training loss.
  const known = [
    'loss',
    ...(prepared.validationRows > 0 ? ['validationLoss'] : []),
    ...Object.keys(metrics).filter((m) => m !== 'loss'),
  ];
  if (!known.includes(config.metric))
    throw new ConfigError({
      field: 'metric',
      problem:
        config.metric === 'validationLoss'
          ? 'validationLoss needs held-out rows: set train.data.validationSplit, or choose another metric'
          : `unknown metric ${JSON.stringify(config.metric)} for the ${prepared.model.describe().name} model`,
      allowed: known,
      value: config.metric,
    }).at(file.locate('metric'));
  return config;
}
