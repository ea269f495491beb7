import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RunSummary } from '@downhill/protocol';
import { CSV_HEADER, eventCsvRow, SqliteRunStore, storedEventTexts } from '@downhill/server';

/** Where past runs are read from: a running server's HTTP API, or a store on disk. */
export interface RunSource {
  readonly name: string;
  list(): Promise<RunSummary[]>;
  /** The run whose id is `id` or starts with it (unique prefix), else an error listing the candidates. */
  find(id: string): Promise<RunSummary>;
  /** Writes every event of a run as CSV (one row per event) or JSON (`{ run, events }`). */
  export(runId: string, format: 'csv' | 'json', out: NodeJS.WritableStream): Promise<void>;
  close(): void | Promise<void>;
}

function findIn(runs: readonly RunSummary[], id: string, where: string): RunSummary {
  const exact = runs.find((r) => r.runId === id);
  if (exact) return exact;
  const matches = runs.filter((r) => r.runId.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new Error(`no run ${JSON.stringify(id)} in ${where}`);
  throw new Error(
    `${JSON.stringify(id)} matches ${matches.length} runs in ${where}: ${matches.map((r) => r.runId).join(', ')}`,
  );
}

/** Runs of a running server, through its HTTP API (`/api/runs`, `/api/runs/:id/export.csv|json`). */
export function serverRunSource(url: string): RunSource {
  const base = url.replace(/\/+$/, '');
  const get = async (path: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`);
    } catch (err) {
      throw new Error(
        `cannot reach the server at ${base}: ${(err as Error).cause ?? (err as Error).message}`,
      );
    }
    if (!response.ok) {
      const text = await response.text();
      throw new Error(`${base}${path}: HTTP ${response.status} ${text}`);
    }
    return response;
  };
  const list = async () => ((await (await get('/api/runs')).json()) as { runs: RunSummary[] }).runs;
  return {
    name: base,
    list,
    find: async (id) => findIn(await list(), id, base),
    async export(runId, format, out) {
      const response = await get(`/api/runs/${encodeURIComponent(runId)}/export.${format}`);
      if (!response.body) throw new Error(`${base}: empty export of ${runId}`);
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), out, {
        end: false,
      });
    },
    close() {},
  };
}

/** Runs of a store on disk (`DIR/runs.sqlite`, as `downhill serve --store DIR` and `demo` write it). */
export function storeRunSource(dir: string): RunSource {
  const file = join(dir, 'runs.sqlite');
  // Read-only: a mistyped directory is an error naming it, never a new empty store.
  const store = new SqliteRunStore(file, { readOnly: true });
  const list = () => store.listRuns();
  const write = (out: NodeJS.WritableStream, text: string) =>
    new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  return {
    name: file,
    list,
    find: async (id) => findIn(await store.listRuns(), id, file),
    async export(runId, format, out) {
      const run = await store.getRun(runId);
      if (format === 'csv') {
        await write(out, `${CSV_HEADER}\n`);
        for await (const text of storedEventTexts(store, runId))
          await write(out, `${eventCsvRow(JSON.parse(text))}\n`);
        return;
      }
      await write(out, `{"run":${JSON.stringify(run)},"events":[`);
      let first = true;
      for await (const text of storedEventTexts(store, runId)) {
        await write(out, first ? text : `,${text}`);
        first = false;
      }
      await write(out, ']}\n');
    },
    close: () => store.close(),
  };
}
