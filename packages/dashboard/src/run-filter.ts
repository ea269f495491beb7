import type { RunSummary } from './run-summary.js';

/** A parsed run-list filter: plain text (case-insensitive substring) or `/regex/flags`. */
export type RunFilter = { readonly test: (run: RunSummary) => boolean; readonly error?: string };

/**
 * Parses what the user typed. `/.../flags` is a regular expression; anything else matches as a
 * case-insensitive substring. Both look at the run's name, id, status, optimizer and
 * hyperparameters (`lr=0.1` style) and tags (`#baseline`); a regex matches when it matches any one of those fields, so
 * `^` and `$` anchor to a field. A bad regex matches everything and reports why.
 */
export function parseRunFilter(text: string): RunFilter {
  const trimmed = text.trim();
  if (trimmed === '') return { test: () => true };
  const regex = /^\/(.*)\/([a-z]*)$/.exec(trimmed);
  if (regex) {
    try {
      const pattern = new RegExp(regex[1]!, regex[2]!.replace('g', ''));
      return { test: (run) => runFields(run).some((field) => pattern.test(field)) };
    } catch (error) {
      return {
        test: () => true,
        error: `invalid regular expression ${trimmed}: ${(error as Error).message}`,
      };
    }
  }
  const needle = trimmed.toLowerCase();
  return { test: (run) => runText(run).toLowerCase().includes(needle) };
}

/** The searchable fields of a run. */
export function runFields(run: RunSummary): string[] {
  return [
    run.name,
    run.runId,
    run.status,
    run.optimizer,
    formatHyperparams(run.hyperparams),
    ...(run.tags ?? []).map((tag) => `#${tag}`),
  ];
}

function runText(run: RunSummary): string {
  return runFields(run).join(' ');
}

/** `learningRate=0.1 momentum=0.9`, in key order. */
export function formatHyperparams(hyperparams: Readonly<Record<string, number | string>>): string {
  return Object.entries(hyperparams)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
