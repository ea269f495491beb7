import type { RunSummary } from '@downhill/protocol';

/** Which events to read: `fromSeq <= seq <= toSeq`, at most `limit` of them, oldest first. */
export interface EventRange {
  readonly fromSeq: number;
  readonly toSeq?: number;
  readonly limit?: number;
  /** Only the events that are not `step` events (downsampling keeps every one of them). */
  readonly nonStepOnly?: boolean;
}

/** A stored event: its `seq` and its JSON text (what goes on the wire, never parsed again on the way). */
export interface StoredEvent {
  readonly seq: number;
  readonly text: string;
}

/** One event to store: `loss` is the step loss when finite, else null (ignored by min and max). */
export interface EventRow {
  readonly seq: number;
  readonly type: string;
  readonly loss: number | null;
  readonly text: string;
}

/** The new events of one run (`seq` increasing) and its summary after them, written together. */
export interface RunWrite {
  readonly summary: RunSummary;
  readonly rows: readonly EventRow[];
}

/** The step events of a range as two columns: `seq` and loss (NaN where not finite). */
export interface StepIndex {
  readonly seqs: Float64Array;
  readonly losses: Float64Array;
}

/**
 * Where the server keeps runs and their events: `SqliteRunStore` (one file, no setup, the
 * default) or `MemoryRunStore`; a shared database can replace them by implementing this.
 *
 * Every method may be asynchronous, so a store can do its work away from the loop that serves
 * sockets. `commit` resolves only once the events are durable: the server acknowledges events to
 * their publisher after that and never before. Downsampling is not the store's business (it is
 * written once, in `downsample.ts`, over `readStepIndex` and `readEventsAt`).
 */
export interface RunStore {
  /** Every run, newest first. */
  listRuns(): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunSummary | undefined>;
  /** Inserts or replaces a run's summary. */
  saveRun(summary: RunSummary): Promise<void>;
  /** Appends events and saves summaries, atomically (a `seq` already stored is ignored); resolves once durable. */
  commit(writes: readonly RunWrite[]): Promise<void>;
  readEvents(runId: string, range: EventRange): Promise<StoredEvent[]>;
  /** The events with these `seq`s (increasing) that exist. */
  readEventsAt(runId: string, seqs: readonly number[]): Promise<StoredEvent[]>;
  readStepIndex(runId: string, fromSeq: number, toSeq: number): Promise<StepIndex>;
  /** Removes a run and its events; false when there was no such run. */
  deleteRun(runId: string): Promise<boolean>;
  /** Marks every run still `running` or `paused` as `interrupted` (at start-up: their process died). Returns how many. */
  markLiveRunsInterrupted(): Promise<number>;
  close(): Promise<void>;
}

/** Every event of a run, oldest first, a page at a time (an export never holds a whole run). */
export async function* storedEventTexts(
  store: RunStore,
  runId: string,
  pageSize = 5000,
): AsyncGenerator<string> {
  let from = 0;
  for (;;) {
    const page = await store.readEvents(runId, { fromSeq: from, limit: pageSize });
    for (const event of page) yield event.text;
    if (page.length < pageSize) return;
    from = page[page.length - 1]!.seq + 1;
  }
}
