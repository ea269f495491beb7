import type { RunSummary as ServerRunSummary } from '@downhill/protocol';
import type { RunStatus } from './run-status.js';
import type { RunSummary } from './run-summary.js';

const endReasons = new Set<string>([
  'completed',
  'converged',
  'early-stopped',
  'stopped',
  'diverged',
  'error',
]);

/**
 * The server's view of a run (`@downhill/protocol`'s `RunSummary`) as the run list and the
 * comparison table show it: an ended run's status is its end reason; the hyperparameters are the
 * optimizer's settings from the start config overlaid with the live values (a learning rate set
 * from the dashboard shows up here).
 */
export function fromServerRun(run: ServerRunSummary): RunSummary {
  const status: RunStatus =
    run.status === 'ended'
      ? endReasons.has(run.endReason ?? '')
        ? (run.endReason as RunStatus)
        : 'completed'
      : run.status;
  const optimizer = run.config.optimizer as { name?: unknown; [key: string]: unknown } | undefined;
  const hyperparams: Record<string, number | string> = {};
  if (optimizer)
    for (const [key, value] of Object.entries(optimizer))
      if (key !== 'name' && (typeof value === 'number' || typeof value === 'string'))
        hyperparams[key] = value;
  for (const [key, value] of Object.entries(run.hyperparams))
    if (Number.isFinite(value)) hyperparams[key] = value;
  if (typeof run.config.batchSize === 'number') hyperparams.batchSize = run.config.batchSize;
  if (typeof run.config.seed === 'number') hyperparams.seed = run.config.seed;
  return {
    runId: run.runId,
    name: run.name,
    status,
    optimizer: typeof optimizer?.name === 'string' ? optimizer.name : '',
    hyperparams,
    step: run.step,
    epoch: run.epoch,
    loss: run.loss,
    bestLoss: run.bestLoss ?? Number.NaN,
    validationLoss: run.validationLoss ?? Number.NaN,
    learningRate: run.learningRate,
    time: run.updatedAt - run.startedAt,
    startedAt: run.startedAt,
    tags: tagsOf(run),
  };
}

/** The run's tags (`RunSummary.tags` on servers that have them). */
function tagsOf(run: ServerRunSummary): readonly string[] {
  const tags = (run as { tags?: unknown }).tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
