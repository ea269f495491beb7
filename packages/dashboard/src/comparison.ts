import type { RunSummary } from './run-summary.js';

/** One column of the comparison table. */
export interface ComparisonColumn {
  readonly key: string;
  readonly label: string;
  /** `setting` (what the run was given) or `metric` (what it reached; lower is better). */
  readonly kind: 'setting' | 'metric';
  readonly value: (run: RunSummary) => number | string | undefined;
  /** True when the runs do not all share one value (the column is highlighted). */
  readonly differs: boolean;
  /** For metrics: the best (lowest finite) value among the runs. */
  readonly best?: number;
}

const metrics: ReadonlyArray<[string, string, (run: RunSummary) => number]> = [
  ['loss', 'final loss', (r) => r.loss],
  ['bestLoss', 'best loss', (r) => r.bestLoss],
  ['validationLoss', 'validation loss', (r) => r.validationLoss],
];

/**
 * The comparison table's columns for `runs`: status, optimizer and the union of their
 * hyperparameters (a run without one shows nothing there), then steps and the loss metrics.
 */
export function comparisonColumns(runs: readonly RunSummary[]): ComparisonColumn[] {
  const settingKeys: string[] = [];
  for (const run of runs)
    for (const key of Object.keys(run.hyperparams)) if (!settingKeys.includes(key)) settingKeys.push(key);
  const settings: Array<[string, string, (run: RunSummary) => number | string | undefined]> = [
    ['status', 'status', (r) => r.status],
    ['optimizer', 'optimizer', (r) => r.optimizer],
    ...settingKeys.map(
      (key) =>
        [key, key, (r: RunSummary) => r.hyperparams[key]] as [
          string,
          string,
          (r: RunSummary) => number | string | undefined,
        ],
    ),
    ['step', 'steps', (r) => r.step],
  ];
  const columns: ComparisonColumn[] = settings.map(([key, label, value]) => ({
    key,
    label,
    kind: 'setting',
    value,
    differs: new Set(runs.map((r) => String(value(r)))).size > 1,
  }));
  for (const [key, label, value] of metrics) {
    const finite = runs.map(value).filter(Number.isFinite);
    if (finite.length === 0) continue;
    columns.push({
      key,
      label,
      kind: 'metric',
      value,
      differs: new Set(runs.map((r) => String(value(r)))).size > 1,
      best: Math.min(...finite),
    });
  }
  return columns;
}

/** Runs sorted by one column: numbers numerically (missing / NaN last), text alphabetically. */
export function sortRuns(
  runs: readonly RunSummary[],
  column: Pick<ComparisonColumn, 'value'>,
  direction: 'ascending' | 'descending',
): RunSummary[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...runs].sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    const xMissing = x === undefined || (typeof x === 'number' && Number.isNaN(x));
    const yMissing = y === undefined || (typeof y === 'number' && Number.isNaN(y));
    if (xMissing || yMissing) return xMissing === yMissing ? 0 : xMissing ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y));
  });
}
