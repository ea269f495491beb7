import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainEvent } from '@downhill/core';
import { type RunSummary, runSummarySchema } from '@downhill/protocol';
import Database from 'better-sqlite3';
import type { DownsampleRange, EventRange, EventTexts, RunStore } from './run-store.js';

interface SeqText {
  seq: number;
  json: string;
}

/**
 * `RunStore` on SQLite (better-sqlite3, WAL journal): one table of runs (the summary as JSON)
 * and one of events keyed by `(run_id, seq)`, with the step loss in its own column so that
 * downsampling runs inside SQLite (SQLite's `min()`/`max()` aggregates return the row they chose).
 */
export class SqliteRunStore implements RunStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly append: (
    summary: RunSummary,
    events: readonly TrainEvent[],
    texts: readonly string[],
  ) => void;

  /** @param file database file (its directory is created), or `:memory:`. */
  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS runs (
        run_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        started_at REAL NOT NULL,
        summary TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS events (
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        loss REAL,
        json TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `);
    const db = this.db;
    this.statements = {
      saveRun: db.prepare(
        'INSERT OR REPLACE INTO runs (run_id, status, started_at, summary) VALUES (@runId, @status, @startedAt, @summary)',
      ),
      insertEvent: db.prepare(
        'INSERT OR IGNORE INTO events (run_id, seq, type, loss, json) VALUES (?, ?, ?, ?, ?)',
      ),
      getRun: db.prepare<[string], { summary: string }>('SELECT summary FROM runs WHERE run_id = ?'),
      listRuns: db.prepare<[], { summary: string }>('SELECT summary FROM runs ORDER BY started_at DESC'),
      liveRuns: db.prepare<[], { summary: string }>(
        "SELECT summary FROM runs WHERE status IN ('running', 'paused')",
      ),
      readEvents: db.prepare<[string, number, number, number], SeqText>(
        'SELECT seq, json FROM events WHERE run_id = ? AND seq >= ? AND seq <= ? ORDER BY seq LIMIT ?',
      ),
      countSteps: db.prepare<[string, number, number], { n: number }>(
        "SELECT count(*) AS n FROM events WHERE run_id = ? AND seq >= ? AND seq <= ? AND type = 'step'",
      ),
      nthNewestStep: db.prepare<[string, number, number, number], { seq: number }>(
        "SELECT seq FROM events WHERE run_id = ? AND seq >= ? AND seq <= ? AND type = 'step' ORDER BY seq DESC LIMIT 1 OFFSET ?",
      ),
      nonSteps: db.prepare<[string, number, number], SeqText>(
        "SELECT seq, json FROM events WHERE run_id = ? AND seq >= ? AND seq < ? AND type != 'step'",
      ),
      bucketMin: db.prepare<[string, number, number, number, number], SeqText>(
        "SELECT seq, json, min(loss) FROM events WHERE run_id = ? AND seq >= ? AND seq < ? AND type = 'step' GROUP BY (seq - CAST(? AS INTEGER)) / CAST(? AS INTEGER)",
      ),
      bucketMax: db.prepare<[string, number, number, number, number], SeqText>(
        "SELECT seq, json, max(loss) FROM events WHERE run_id = ? AND seq >= ? AND seq < ? AND type = 'step' GROUP BY (seq - CAST(? AS INTEGER)) / CAST(? AS INTEGER)",
      ),
    };
    const insert = this.statements.insertEvent;
    this.append = db.transaction(
      (summary: RunSummary, events: readonly TrainEvent[], texts: readonly string[]) => {
        for (let i = 0; i < events.length; i++) {
          const event = events[i]!;
          const loss = event.type === 'step' && Number.isFinite(event.loss) ? event.loss : null;
          insert.run(event.runId, event.seq, event.type, loss, texts[i]!);
        }
        this.saveRun(summary);
      },
    );
  }

  saveRun(summary: RunSummary): void {
    this.statements.saveRun.run({
      runId: summary.runId,
      status: summary.status,
      startedAt: summary.startedAt,
      summary: JSON.stringify(summary),
    });
  }

  appendEvents(summary: RunSummary, events: readonly TrainEvent[], texts: readonly string[]): void {
    this.append(summary, events, texts);
  }

  getRun(runId: string): RunSummary | undefined {
    const row = this.statements.getRun.get(runId);
    return row ? parseSummary(row.summary) : undefined;
  }

  listRuns(): RunSummary[] {
    return this.statements.listRuns.all().map((row) => parseSummary(row.summary));
  }

  readEvents(runId: string, range: EventRange): string[] {
    const rows = this.statements.readEvents.all(
      runId,
      range.fromSeq,
      range.toSeq ?? Number.MAX_SAFE_INTEGER,
      range.limit ?? -1,
    );
    return rows.map((row) => row.json);
  }

  readDownsampled(runId: string, range: DownsampleRange): EventTexts {
    const from = range.fromSeq;
    const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
    const steps = this.statements.countSteps.get(runId, from, to)?.n ?? 0;
    if (steps <= range.points)
      return { texts: this.readEvents(runId, { fromSeq: from, toSeq: to }), exact: true };
    // The newest quarter of the points are exact, so a live chart joins its history seamlessly.
    const tail = Math.max(1, Math.floor(range.points / 4));
    const tailStart = this.statements.nthNewestStep.get(runId, from, to, tail - 1)?.seq ?? to;
    const buckets = Math.max(1, Math.floor((range.points - tail) / 2));
    const width = Math.max(1, Math.ceil((tailStart - from) / buckets));
    const chosen = new Map<number, string>();
    const s = this.statements;
    for (const row of s.nonSteps.all(runId, from, tailStart)) chosen.set(row.seq, row.json);
    for (const row of s.bucketMin.all(runId, from, tailStart, from, width)) chosen.set(row.seq, row.json);
    for (const row of s.bucketMax.all(runId, from, tailStart, from, width)) chosen.set(row.seq, row.json);
    const head = [...chosen.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
    return { texts: head.concat(this.readEvents(runId, { fromSeq: tailStart, toSeq: to })), exact: false };
  }

  *iterateEvents(runId: string): Iterable<string> {
    // Pages, not one open cursor: better-sqlite3 refuses other statements while a cursor is open,
    // and an export that waits for a slow reader must not block the server's writes.
    let from = 0;
    for (;;) {
      const rows = this.statements.readEvents.all(runId, from, Number.MAX_SAFE_INTEGER, 5000);
      for (const row of rows) yield row.json;
      if (rows.length < 5000) return;
      from = rows[rows.length - 1]!.seq + 1;
    }
  }

  markLiveRunsInterrupted(): number {
    const live = this.statements.liveRuns.all().map((row) => parseSummary(row.summary));
    this.db.transaction(() => {
      for (const run of live) this.saveRun({ ...run, status: 'interrupted' });
    })();
    return live.length;
  }

  close(): void {
    this.db.close();
  }
}

function parseSummary(text: string): RunSummary {
  return runSummarySchema.parse(JSON.parse(text));
}
