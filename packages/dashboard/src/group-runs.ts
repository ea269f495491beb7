import type { RunSummary } from './run-summary.js';

/** A set of runs sharing the value of the field they are grouped by. */
export interface RunGroup {
  /** Stable key (the field's value as text). */
  readonly key: string;
  /** `learningRate = 0.01`, `optimizer = adam`, ... */
  readonly label: string;
  readonly runIds: readonly string[];
}

/** Grouping by everything that defines a run except its seed: the same config over seeds. */
export const CONFIG_BUT_SEED = 'config';

/**
 * The fields runs can be grouped by: the same config over seeds, optimizer, status, tag, and every
 * hyperparameter some run has (in first-seen order).
 */
export function groupFields(runs: readonly RunSummary[]): string[] {
  const fields = [CONFIG_BUT_SEED, 'optimizer', 'status', 'tag'];
  for (const run of runs)
    for (const key of Object.keys(run.hyperparams)) if (!fields.includes(key)) fields.push(key);
  return fields;
}

/** The value a run has for `field`, as text (`—` when it has none). */
export function groupValue(run: RunSummary, field: string): string {
  if (field === CONFIG_BUT_SEED) {
    const settings = Object.entries(run.hyperparams)
      .filter(([key]) => key !== 'seed')
      .map(([key, value]) => `${key}=${value}`);
    return [run.optimizer, ...settings].join(' ');
  }
  if (field === 'optimizer') return run.optimizer || '—';
  if (field === 'status') return run.status;
  if (field === 'tag') return run.tags?.[0] ?? '—';
  const value = run.hyperparams[field];
  return value === undefined ? '—' : String(value);
}

/** `runs` grouped by `field`, groups in order of their first run. */
export function groupRuns(runs: readonly RunSummary[], field: string): RunGroup[] {
  const groups = new Map<string, string[]>();
  for (const run of runs) {
    const key = groupValue(run, field);
    let ids = groups.get(key);
    if (!ids) groups.set(key, (ids = []));
    ids.push(run.runId);
  }
  return [...groups].map(([key, runIds]) => ({
    key,
    label: field === CONFIG_BUT_SEED ? key : `${field} = ${key}`,
    runIds,
  }));
}
