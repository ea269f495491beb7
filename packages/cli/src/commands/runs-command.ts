import { createWriteStream } from 'node:fs';
import type { RunSummary } from '@downhill/protocol';
import { formatNumber } from '../format-progress.js';
import type { ProgressOutput } from '../progress-bar.js';
import type { RunSource } from '../run-source.js';

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function status(run: RunSummary): string {
  return run.status === 'ended' && run.endReason ? run.endReason : run.status;
}

/** `downhill runs list`: one line per run, newest first. */
export async function listRuns(source: RunSource, output: ProgressOutput): Promise<void> {
  const runs = await source.list();
  if (runs.length === 0) {
    output.write(`no runs in ${source.name}\n`);
    return;
  }
  const rows = runs.map((r) => [
    r.runId.slice(0, 8),
    status(r),
    String(r.step),
    formatNumber(r.loss),
    when(r.startedAt),
    r.name,
  ]);
  const header = ['id', 'status', 'steps', 'loss', 'started (UTC)', 'name'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`;
  output.write(line(header));
  for (const row of rows) output.write(line(row));
}

/** `value` with long lists cut short (a loss surface has thousands of numbers), for reading. */
export function abridge(value: unknown, limit = 8): unknown {
  if (Array.isArray(value)) {
    if (value.length <= limit) return value.map((v) => abridge(v, limit));
    return [...value.slice(0, limit).map((v) => abridge(v, limit)), `... ${value.length - limit} more`];
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abridge(v, limit)]));
  }
  return value;
}

/** `downhill runs show <id>`: a run's summary, configuration and latest values. */
export async function showRun(source: RunSource, id: string, output: ProgressOutput): Promise<void> {
  const run = await source.find(id);
  const fields: [string, string][] = [
    ['id', run.runId],
    ['name', run.name],
    ['status', status(run)],
    ['origin', run.origin],
    ['started', `${when(run.startedAt)} UTC`],
    ['updated', `${when(run.updatedAt)} UTC`],
    ['step', String(run.step)],
    ['epoch', String(run.epoch)],
    ['loss', formatNumber(run.loss)],
    ...(run.validationLoss !== undefined
      ? [['validation loss', formatNumber(run.validationLoss)] as [string, string]]
      : []),
    ['learning rate', formatNumber(run.learningRate)],
    ...Object.entries(run.hyperparams).map(([k, v]) => [`  ${k}`, formatNumber(v)] as [string, string]),
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) output.write(`${k.padEnd(width)}  ${v}\n`);
  output.write(`config ${JSON.stringify(abridge(run.config), null, 2)}\n`);
  if (Object.keys(run.meta).length > 0) output.write(`meta ${JSON.stringify(run.meta, null, 2)}\n`);
}

/** `downhill runs export <id>`: every event as CSV or JSON, to a file or standard output. */
export async function exportRun(
  source: RunSource,
  id: string,
  options: {
    format: 'csv' | 'json';
    file: string | undefined;
    stdout: NodeJS.WritableStream;
    output: ProgressOutput;
  },
): Promise<void> {
  const run = await source.find(id);
  if (!options.file) {
    await source.export(run.runId, options.format, options.stdout);
    return;
  }
  const out = createWriteStream(options.file);
  await source.export(run.runId, options.format, out);
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
  options.output.write(`wrote ${run.runId} as ${options.format.toUpperCase()} to ${options.file}\n`);
}
