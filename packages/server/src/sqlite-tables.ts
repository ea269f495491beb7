import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { type RunSummary, runSummarySchema } from '@downhill/protocol';
import Database from 'better-sqlite3';
import type { EventRange, EventRow, RunWrite, StepIndex, StoredEvent } from './run-store.js';

/** `seq` takes the low 32 bits of an event's key, the run's number the bits above. */
const SEQ_SPAN = 2 ** 32;

/**
 * Events per multi-row INSERT: one statement call binds this many rows, which takes about a fifth
 * off the cost of storing a batch (fewer calls into better-sqlite3 and fewer statement resets).
 */
const ROWS_PER_INSERT = 32;

/** Options of the SQLite store. */
export interface SqliteOptions {
  /** Open an existing database for reading only: a missing file is an error, never created. */
  readonly readOnly?: boolean;
}

/**
 * The SQLite tables behind `SqliteRunStore`, synchronous (better-sqlite3, WAL journal); they live
 * in the store's own thread. One table of runs (the summary as JSON) and one of events whose
 * integer primary key is `run number * 2^32 + seq`, so a run's events are one contiguous key range
 * and appending is SQLite's fast append-to-rowid path (about twice as fast as a `(run_id, seq)`
 * key). The step loss has its own column so that a run's step index is read without parsing JSON.
 */
export class SqliteTables {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly bases = new Map<string, number>();
  private readonly commitWrites: (writes: readonly RunWrite[]) => void;

  /** @param file database file (its directory is created unless `readOnly`), or `:memory:`. */
  constructor(file: string, options: SqliteOptions = {}) {
    if (options.readOnly) {
      if (!existsSync(file)) throw Object.assign(new Error(`no run store at ${file}`), { code: 'ENOENT' });
      if (statSync(file).isDirectory())
        throw Object.assign(new Error(`${file} is a directory, not a run store`), { code: 'EISDIR' });
      this.db = new Database(file, { readonly: true, fileMustExist: true });
    } else {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a commit is in the WAL before `commit` resolves, so an acknowledged
      // event survives the death of the process (SIGKILL, a crash), which is what the run link
      // promises; FULL would also survive a power cut, at one fsync per commit.
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
    }
    const db = this.db;
    const writable = !options.readOnly;
    this.statements = {
      saveRun: writable
        ? db.prepare(
            `INSERT INTO runs (run_id, status, started_at, summary) VALUES (@runId, @status, @startedAt, @summary)
             ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, summary = excluded.summary`,
          )
        : undefined,
      insertEvent: writable
        ? db.prepare('INSERT OR IGNORE INTO events (key, type, loss, json) VALUES (?, ?, ?, ?)')
        : undefined,
      insertEvents: writable
        ? db.prepare(
            `INSERT OR IGNORE INTO events (key, type, loss, json) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`,
          )
        : undefined,
      deleteRun: writable ? db.prepare<[string]>('DELETE FROM runs WHERE run_id = ?') : undefined,
      deleteEvents: writable
        ? db.prepare<[number, number]>('DELETE FROM events WHERE key >= ? AND key < ?')
        : undefined,
      runNo: db.prepare<[string], { run_no: number }>('SELECT run_no FROM runs WHERE run_id = ?'),
      getRun: db.prepare<[string], { summary: string }>('SELECT summary FROM runs WHERE run_id = ?'),
      listRuns: db.prepare<[], { summary: string }>('SELECT summary FROM runs ORDER BY started_at DESC'),
      liveRuns: db.prepare<[], { summary: string }>(
        "SELECT summary FROM runs WHERE status IN ('running', 'paused')",
      ),
      readEvents: db.prepare<[number, number, number, number], StoredEvent>(
        'SELECT key - ? AS seq, json AS text FROM events WHERE key >= ? AND key <= ? ORDER BY key LIMIT ?',
      ),
      readNonSteps: db.prepare<[number, number, number, number], StoredEvent>(
        "SELECT key - ? AS seq, json AS text FROM events WHERE key >= ? AND key <= ? AND type != 'step' ORDER BY key LIMIT ?",
      ),
      readOne: db.prepare<[number, number], StoredEvent>(
        'SELECT key - ? AS seq, json AS text FROM events WHERE key = ?',
      ),
      stepIndex: db
        .prepare<[number, number, number], [number, number | null]>(
          "SELECT key - ?, loss FROM events WHERE key >= ? AND key <= ? AND type = 'step' ORDER BY key",
        )
        .raw(true),
    };
    const insertOne = this.statements.insertEvent;
    const insertMany = this.statements.insertEvents;
    const put = (base: number, row: EventRow, into: unknown[], at: number): void => {
      if (row.seq >= SEQ_SPAN) throw new RangeError(`event seq ${row.seq} is over the store's limit of 2^32`);
      into[at] = base + row.seq;
      into[at + 1] = row.type;
      into[at + 2] = row.loss;
      into[at + 3] = row.text;
    };
    const many: unknown[] = new Array(4 * ROWS_PER_INSERT);
    const one: unknown[] = new Array(4);
    this.commitWrites = db.transaction((writes: readonly RunWrite[]) => {
      for (const { summary, rows } of writes) {
        this.saveRun(summary);
        const base = this.baseOf(summary.runId)!;
        let i = 0;
        for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
          for (let j = 0; j < ROWS_PER_INSERT; j++) put(base, rows[i + j]!, many, 4 * j);
          insertMany!.run(many);
        }
        for (; i < rows.length; i++) {
          put(base, rows[i]!, one, 0);
          insertOne!.run(one);
        }
      }
    });
  }

  saveRun(summary: RunSummary): void {
    this.writable('saveRun').run({
      runId: summary.runId,
      status: summary.status,
      startedAt: summary.startedAt,
      summary: JSON.stringify(summary),
    });
  }

  commit(writes: readonly RunWrite[]): void {
    this.commitWrites(writes);
  }

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

  readEvents(runId: string, range: EventRange): StoredEvent[] {
    const base = this.baseOf(runId);
    if (base === undefined) return [];
    const to = Math.min(range.toSeq ?? SEQ_SPAN - 1, SEQ_SPAN - 1);
    const statement = range.nonStepOnly ? this.statements.readNonSteps : this.statements.readEvents;
    return statement.all(base, base + range.fromSeq, base + to, range.limit ?? -1);
  }

  readEventsAt(runId: string, seqs: readonly number[]): StoredEvent[] {
    const base = this.baseOf(runId);
    if (base === undefined) return [];
    const out: StoredEvent[] = [];
    for (const seq of seqs) {
      const row = this.statements.readOne.get(base, base + seq);
      if (row) out.push(row);
    }
    return out;
  }

  readStepIndex(runId: string, fromSeq: number, toSeq: number): StepIndex {
    const base = this.baseOf(runId);
    if (base === undefined) return { seqs: new Float64Array(0), losses: new Float64Array(0) };
    const to = Math.min(toSeq, SEQ_SPAN - 1);
    const rows = this.statements.stepIndex.all(base, base + fromSeq, base + to);
    const seqs = new Float64Array(rows.length);
    const losses = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      seqs[i] = row[0];
      losses[i] = row[1] ?? Number.NaN;
    }
    return { seqs, losses };
  }

  deleteRun(runId: string): boolean {
    const base = this.baseOf(runId);
    if (base === undefined) return false;
    this.db.transaction(() => {
      this.writable('deleteEvents').run(base, base + SEQ_SPAN);
      this.writable('deleteRun').run(runId);
    })();
    this.bases.delete(runId);
    return true;
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

  private writable<K extends 'saveRun' | 'deleteRun' | 'deleteEvents'>(
    name: K,
  ): NonNullable<(typeof this.statements)[K]> {
    const statement = this.statements[name];
    if (!statement) throw new Error('the run store was opened read-only');
    return statement as NonNullable<(typeof this.statements)[K]>;
  }
}

function parseSummary(text: string): RunSummary {
  return runSummarySchema.parse(JSON.parse(text));
}
