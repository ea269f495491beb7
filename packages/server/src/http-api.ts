import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunSummary } from '@downhill/protocol';
import type { Downsampled, DownsampleRange } from './downsample.js';
import { CSV_HEADER, eventCsvRow } from './event-csv.js';
import { type RunStore, storedEventTexts } from './run-store.js';

/** What the HTTP API reads: live summaries from the hub, events from the store. */
export interface ApiContext {
  readonly store: RunStore;
  listRuns(): RunSummary[];
  summaryOf(runId: string): RunSummary | undefined;
  downsample(runId: string, range: DownsampleRange): Promise<Downsampled>;
}

/** Most events one `/events` answer holds; `next` says where the following page starts. */
export const EVENTS_PAGE = 10_000;

/**
 * The HTTP JSON API, all GET:
 * - `/api/runs`: `{ runs }`, newest first;
 * - `/api/runs/:id`: one run's summary;
 * - `/api/runs/:id/events?fromSeq=&toSeq=&points=`: `{ runId, exact, events }`, min/max
 *   downsampled to about `points` step events when given; without `points`, at most
 *   `EVENTS_PAGE` events, with `next` (the `fromSeq` of the next page) when there are more;
 * - `/api/runs/:id/export.csv` and `/api/runs/:id/export.json`: every event, streamed.
 * Returns false when the path is not an API path.
 */
export function handleApi(context: ApiContext, request: IncomingMessage, response: ServerResponse): boolean {
  const url = new URL(request.url ?? '/', 'http://x');
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] !== 'api') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: `${request.method} is not allowed: the API is read-only (GET)` });
    return true;
  }
  if (parts.length === 2 && parts[1] === 'runs') {
    sendJson(response, 200, { runs: context.listRuns() });
    return true;
  }
  if (parts[1] !== 'runs' || parts.length < 3 || parts.length > 4) {
    sendJson(response, 404, { error: `no API at ${url.pathname}` });
    return true;
  }
  let runId: string;
  try {
    runId = decodeURIComponent(parts[2]!);
  } catch {
    sendJson(response, 400, { error: 'the run id in the path is not valid percent-encoding' });
    return true;
  }
  const run = context.summaryOf(runId);
  if (!run) {
    sendJson(response, 404, { error: `no run with id ${JSON.stringify(runId)}` });
    return true;
  }
  const resource = parts[3];
  if (resource === undefined) {
    sendJson(response, 200, run);
  } else if (resource === 'events') {
    const query = readQuery(url, response);
    if (!query) return true;
    const fromSeq = query.fromSeq ?? 0;
    const toSeq = Math.min(query.toSeq ?? run.lastSeq, run.lastSeq);
    const read =
      query.points === undefined
        ? context.store
            .readEvents(runId, { fromSeq, toSeq, limit: EVENTS_PAGE + 1 })
            .then((events) => ({ events, exact: true }))
        : context.downsample(runId, { fromSeq, toSeq, points: query.points });
    read.then(
      ({ events, exact }) => {
        const more = query.points === undefined && events.length > EVENTS_PAGE;
        const page = more ? events.slice(0, EVENTS_PAGE) : events;
        const next = more ? `,"next":${events[EVENTS_PAGE]!.seq}` : '';
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end(
          `{"runId":${JSON.stringify(runId)},"exact":${exact}${next},"events":[${page.map((event) => event.text).join(',')}]}`,
        );
      },
      (err: unknown) =>
        sendJson(response, 500, { error: `reading the run failed: ${(err as Error).message}` }),
    );
  } else if (resource === 'export.csv') {
    response.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(runId)}.csv"`,
    });
    streamLines(
      response,
      CSV_HEADER,
      storedEventTexts(context.store, runId),
      (text) => eventCsvRow(JSON.parse(text)),
      '',
    );
  } else if (resource === 'export.json') {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(runId)}.json"`,
    });
    streamLines(
      response,
      `{"run":${JSON.stringify(run)},"events":[`,
      storedEventTexts(context.store, runId),
      (t) => t,
      ']}',
      ',',
    );
  } else {
    sendJson(response, 404, { error: `no API at ${url.pathname} (try events, export.csv or export.json)` });
  }
  return true;
}

interface EventsQuery {
  fromSeq?: number;
  toSeq?: number;
  points?: number;
}

function readQuery(url: URL, response: ServerResponse): EventsQuery | undefined {
  const query: EventsQuery = {};
  const limits = {
    fromSeq: [0, Number.MAX_SAFE_INTEGER],
    toSeq: [0, Number.MAX_SAFE_INTEGER],
    points: [16, 1_000_000],
  };
  for (const [name, [min, max]] of Object.entries(limits) as [keyof EventsQuery, number[]][]) {
    const text = url.searchParams.get(name);
    if (text === null) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min! || value > max!) {
      sendJson(response, 400, {
        error: `query parameter ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
      });
      return undefined;
    }
    query[name] = value;
  }
  return query;
}

/** Writes the items in chunks, waiting for `drain` so a large export never piles up in memory. */
function streamLines(
  response: ServerResponse,
  head: string,
  items: AsyncIterable<string>,
  format: (item: string) => string,
  tail: string,
  separator = '\n',
): void {
  const iterator = items[Symbol.asyncIterator]();
  let closed = false;
  response.on('close', () => {
    closed = true;
    void iterator.return?.();
  });
  const drained = (): Promise<void> => new Promise((resolve) => response.once('drain', resolve));
  const pump = async (): Promise<void> => {
    let first = true;
    response.write(separator === '\n' ? `${head}\n` : head);
    let chunk = '';
    for (;;) {
      const next = await iterator.next();
      if (closed) return;
      if (next.done) {
        response.end(chunk + tail);
        return;
      }
      chunk +=
        separator === '\n' ? `${format(next.value)}\n` : `${first ? '' : separator}${format(next.value)}`;
      first = false;
      if (chunk.length > 64 * 1024) {
        const more = response.write(chunk);
        chunk = '';
        if (!more) await drained();
      }
    }
  };
  pump().catch((err: unknown) => response.destroy(err as Error));
}

function fileName(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]/g, '_');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
