export { CheckpointWriter } from './checkpoint-writer.js';
export type { CliIo } from './cli-io.js';
export { type DemoOptions, demoCommand } from './commands/demo-command.js';
export { exportRun, listRuns, showRun } from './commands/runs-command.js';
export { type ServeCommandOptions, serveCommand } from './commands/serve-command.js';
export {
  type Publisher,
  type TrainCommandOptions,
  type TrainOutcome,
  trainCommand,
} from './commands/train-command.js';
export {
  type ComponentCatalog,
  type ComponentChoice,
  type ComponentDefinition,
  type OptionRule,
  readComponent,
} from './config/component-catalog.js';
export { ConfigError, type SourceLocation } from './config/config-error.js';
export { type ConfigFile, loadConfigFile, parseConfigText } from './config/load-config-file.js';
export { lossCatalog, type ModelContext, modelCatalog } from './config/model-catalog.js';
export { type OptimizerContext, optimizerCatalog } from './config/optimizer-catalog.js';
export { parseTrainConfig, TRAIN_CONFIG_FIELDS } from './config/parse-train-config.js';
export { type ScheduleContext, scheduleCatalog } from './config/schedule-catalog.js';
export type {
  ColumnRef,
  ConvergenceConfig,
  DataConfig,
  EarlyStoppingConfig,
  TrainConfig,
} from './config/train-config.js';
export { pacedLoader } from './demo/paced-loader.js';
export { type Pace, pacedRun, runLength, stepsPerSecondOf } from './demo/paced-run.js';
export { describeParams } from './describe-params.js';
export { batchSizes } from './experiments/batch-sizes.js';
export { type Experiment, type ExperimentRun, experimentRunEvents } from './experiments/experiment.js';
export { experiments } from './experiments/experiments.js';
export { learningRates } from './experiments/learning-rates.js';
export { lineAndCubic } from './experiments/line-and-cubic.js';
export { localMinima } from './experiments/local-minima.js';
export { type LossSurface, lossSurface } from './experiments/loss-surface.js';
export { type RunOutcome, reportExperiment, runExperiment } from './experiments/report-experiment.js';
export { rosenbrockRace } from './experiments/rosenbrock-race.js';
export { saddlePoint, saddleWithMinima } from './experiments/saddle-point.js';
export { seedCubic, seedLine } from './experiments/seed-data.js';
export { warmRestartsSwa } from './experiments/warm-restarts-swa.js';
export { asFileError, FileError } from './file-error.js';
export { formatDuration, formatNumber, formatProgress, type ProgressState } from './format-progress.js';
export { type LoadedTrainConfig, loadTrainConfig, trainConfigFromData } from './load-train-config.js';
export { type ExitCode, main, USAGE } from './main.js';
export { type PreparedRun, prepareRun } from './prepare-run.js';
export { ProgressBar, type ProgressBarOptions, type ProgressOutput, totalStepsOf } from './progress-bar.js';
export {
  type Checkpoint,
  checkpointText,
  EventLog,
  loadCheckpoint,
  makeDirectory,
  RUN_FILES,
  type SavedCheckpoint,
  type SavedConfig,
  type SavedParams,
  saveConfig,
  saveResults,
  truncateEventLog,
} from './run-directory.js';
export { type RunSource, serverRunSource, storeRunSource } from './run-source.js';
export { sparkline } from './sparkline.js';
export { writeFileAtomic } from './write-file-atomic.js';
