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

/** `seq` takes the low 32 bits of an event's key, the run's number the bits above. */
const SEQ_SPAN = 2 ** 32;

/**
 * Events per multi-row INSERT: one statement call binds this many rows, which takes about a fifth
 * off the cost of storing a batch (fewer calls into better-sqlite3 and fewer statement resets).
 */
const ROWS_PER_INSERT = 32;

/**
 * `RunStore` on SQLite (better-sqlite3, WAL journal): one table of runs (the summary as JSON)
 * and one of events whose integer primary key is `run number * 2^32 + seq`, so a run's events
 * are one contiguous key range and appending is SQLite's fast append-to-rowid path (about twice
 * as fast as a `(run_id, seq)` key). The step loss has its own column so that downsampling runs
 * inside SQLite (its `min()`/`max()` aggregates return the row they chose).
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
        run_no INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        started_at REAL NOT NULL,
        summary TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS events (
        key INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        loss REAL,
        json TEXT NOT NULL
      );
    `);
    const db = this.db;
    this.statements = {
      saveRun: db.prepare(
        `INSERT INTO runs (run_id, status, started_at, summary) VALUES (@runId, @status, @startedAt, @summary)
         ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, summary = excluded.summary`,
      ),
      runNo: db.prepare<[string], { run_no: number }>('SELECT run_no FROM runs WHERE run_id = ?'),
      insertEvent: db.prepare('INSERT OR IGNORE INTO events (key, type, loss, json) VALUES (?, ?, ?, ?)'),
      insertEvents: db.prepare(
        `INSERT OR IGNORE INTO events (key, type, loss, json) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`,
      ),
      getRun: db.prepare<[string], { summary: string }>('SELECT summary FROM runs WHERE run_id = ?'),
      listRuns: db.prepare<[], { summary: string }>('SELECT summary FROM runs ORDER BY started_at DESC'),
      liveRuns: db.prepare<[], { summary: string }>(
        "SELECT summary FROM runs WHERE status IN ('running', 'paused')",
      ),
      readEvents: db.prepare<[number, number, number, number], SeqText>(
        'SELECT key - ? AS seq, json FROM events WHERE key >= ? AND key <= ? ORDER BY key LIMIT ?',
      ),
      countSteps: db.prepare<[number, number], { n: number }>(
        "SELECT count(*) AS n FROM events WHERE key >= ? AND key <= ? AND type = 'step'",
      ),
      nthNewestStep: db.prepare<[number, number, number, number], { seq: number }>(
        "SELECT key - ? AS seq FROM events WHERE key >= ? AND key <= ? AND type = 'step' ORDER BY key DESC LIMIT 1 OFFSET ?",
      ),
      nonSteps: db.prepare<[number, number, number], SeqText>(
        "SELECT key - ? AS seq, json FROM events WHERE key >= ? AND key < ? AND type != 'step'",
      ),
      // Bucket b holds keys [lo + b * width, lo + (b + 1) * width); all operands are integers.
      bucketMin: db.prepare<[number, number, number, number, number], SeqText>(
        "SELECT key - ? AS seq, json, min(loss) FROM events WHERE key >= ? AND key < ? AND type = 'step' GROUP BY (key - CAST(? AS INTEGER)) / CAST(? AS INTEGER)",
      ),
      bucketMax: db.prepare<[number, number, number, number, number], SeqText>(
        "SELECT key - ? AS seq, json, max(loss) FROM events WHERE key >= ? AND key < ? AND type = 'step' GROUP BY (key - CAST(? AS INTEGER)) / CAST(? AS INTEGER)",
      ),
    };
    const insertOne = this.statements.insertEvent;
    const insertMany = this.statements.insertEvents;
    const row = (base: number, event: TrainEvent, text: string, into: unknown[], at: number): void => {
      if (event.seq >= SEQ_SPAN)
        throw new RangeError(`event seq ${event.seq} is over the store's limit of 2^32`);
      into[at] = base + event.seq;
      into[at + 1] = event.type;
      into[at + 2] = event.type === 'step' && Number.isFinite(event.loss) ? event.loss : null;
      into[at + 3] = text;
    };
    const many: unknown[] = new Array(4 * ROWS_PER_INSERT);
    const one: unknown[] = new Array(4);
    this.append = db.transaction(
      (summary: RunSummary, events: readonly TrainEvent[], texts: readonly string[]) => {
        this.saveRun(summary);
        const base = this.baseOf(summary.runId)!;
        let i = 0;
        for (; i + ROWS_PER_INSERT <= events.length; i += ROWS_PER_INSERT) {
          for (let j = 0; j < ROWS_PER_INSERT; j++) row(base, events[i + j]!, texts[i + j]!, many, 4 * j);
          insertMany.run(many);
        }
        for (; i < events.length; i++) {
          row(base, events[i]!, texts[i]!, one, 0);
          insertOne.run(one);
        }
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

  private readonly bases = new Map<string, number>();

  /** The key of the run's event 0, or undefined for a run never saved. */
  private baseOf(runId: string): number | undefined {
    let base = this.bases.get(runId);
    if (base === undefined) {
      const row = this.statements.runNo.get(runId);
      if (!row) return undefined;
      base = row.run_no * SEQ_SPAN;
      this.bases.set(runId, base);
    }
    return base;
  }

  getRun(runId: string): RunSummary | undefined {
    const row = this.statements.getRun.get(runId);
    return row ? parseSummary(row.summary) : undefined;
  }

  listRuns(): RunSummary[] {
    return this.statements.listRuns.all().map((row) => parseSummary(row.summary));
  }

  readEvents(runId: string, range: EventRange): string[] {
    return this.readRows(runId, range).map((row) => row.json);
  }

  private readRows(runId: string, range: EventRange): SeqText[] {
    const base = this.baseOf(runId);
    if (base === undefined) return [];
    const to = Math.min(range.toSeq ?? SEQ_SPAN - 1, SEQ_SPAN - 1);
    return this.statements.readEvents.all(base, base + range.fromSeq, base + to, range.limit ?? -1);
  }

  readDownsampled(runId: string, range: DownsampleRange): EventTexts {
    const base = this.baseOf(runId);
    if (base === undefined) return { texts: [], exact: true };
    const from = range.fromSeq;
    const to = Math.min(range.toSeq ?? SEQ_SPAN - 1, SEQ_SPAN - 1);
    const s = this.statements;
    const steps = s.countSteps.get(base + from, base + to)?.n ?? 0;
    if (steps <= range.points)
      return { texts: this.readEvents(runId, { fromSeq: from, toSeq: to }), exact: true };
    // The newest quarter of the points are exact, so a live chart joins its history seamlessly.
    const tail = Math.max(1, Math.floor(range.points / 4));
    const tailStart = s.nthNewestStep.get(base, base + from, base + to, tail - 1)?.seq ?? to;
    const buckets = Math.max(1, Math.floor((range.points - tail) / 2));
    const width = Math.max(1, Math.ceil((tailStart - from) / buckets));
    const chosen = new Map<number, string>();
    const lo = base + from;
    const hi = base + tailStart;
    for (const row of s.nonSteps.all(base, lo, hi)) chosen.set(row.seq, row.json);
    for (const row of s.bucketMin.all(base, lo, hi, lo, width)) chosen.set(row.seq, row.json);
    for (const row of s.bucketMax.all(base, lo, hi, lo, width)) chosen.set(row.seq, row.json);
    const head = [...chosen.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
    return { texts: head.concat(this.readEvents(runId, { fromSeq: tailStart, toSeq: to })), exact: false };
  }

  *iterateEvents(runId: string): Iterable<string> {
    // Pages, not one open cursor: better-sqlite3 refuses other statements while a cursor is open,
    // and an export that waits for a slow reader must not block the server's writes.
    let from = 0;
    for (;;) {
      const rows = this.readRows(runId, { fromSeq: from, limit: 5000 });
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
