import type { RunSummary } from '@downhill/protocol';
import type { EventRow, RunWrite } from './run-store.js';
import type { SqliteTables } from './sqlite-tables.js';

// Calls from `SqliteRunStore` to its thread, and the answers; calls are answered in order.

export type StoreMethod =
  | 'listRuns'
  | 'getRun'
  | 'saveRun'
  | 'commit'
  | 'readEvents'
  | 'readEventsAt'
  | 'readStepIndex'
  | 'deleteRun'
  | 'markLiveRunsInterrupted'
  | 'close';

export interface ToStoreThread {
  readonly id: number;
  readonly method: StoreMethod & keyof SqliteTables;
  readonly args: readonly unknown[];
}

export type FromStoreThread =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: { message: string; code?: string } }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly value?: unknown;
      readonly error?: { message: string; code?: string };
    };

/**
 * A commit as it crosses to the store's thread: each run's rows in columns, the texts joined into
 * one string. A structured clone of one string and three typed arrays costs a copy; of thousands
 * of small row objects it costs several times the SQLite insert itself.
 */
export interface PackedWrite {
  readonly summary: RunSummary;
  readonly seqs: Float64Array;
  /** Losses, NaN where the row has none. */
  readonly losses: Float64Array;
  readonly types: readonly string[];
  readonly texts: string;
  /** Where each row's text ends in `texts`. */
  readonly ends: Uint32Array;
}

export function packWrites(writes: readonly RunWrite[]): PackedWrite[] {
  return writes.map(({ summary, rows }) => {
    const seqs = new Float64Array(rows.length);
    const losses = new Float64Array(rows.length);
    const ends = new Uint32Array(rows.length);
    const types: string[] = new Array(rows.length);
    let length = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      seqs[i] = row.seq;
      losses[i] = row.loss ?? Number.NaN;
      types[i] = row.type;
      length += row.text.length;
      ends[i] = length;
    }
    return { summary, seqs, losses, types, texts: rows.map((row) => row.text).join(''), ends };
  });
}

export function unpackWrites(packed: readonly PackedWrite[]): RunWrite[] {
  return packed.map(({ summary, seqs, losses, types, texts, ends }) => {
    const rows: EventRow[] = new Array(seqs.length);
    let start = 0;
    for (let i = 0; i < seqs.length; i++) {
      const loss = losses[i]!;
      rows[i] = {
        seq: seqs[i]!,
        type: types[i]!,
        loss: Number.isNaN(loss) ? null : loss,
        text: texts.slice(start, ends[i]),
      };
      start = ends[i]!;
    }
    return { summary, rows };
  });
}
