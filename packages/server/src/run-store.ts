import type { TrainEvent } from '@downhill/core';
import type { RunSummary } from '@downhill/protocol';

/** Which events to read: `fromSeq <= seq <= toSeq`, at most `limit` of them, oldest first. */
export interface EventRange {
  readonly fromSeq: number;
  readonly toSeq?: number;
  readonly limit?: number;
}

/** A range downsampled to about `points` step events (every non-step event kept, the newest steps exact). */
export interface DownsampleRange extends EventRange {
  readonly points: number;
}

/** Events as their JSON text (what goes on the wire), with whether step events were left out. */
export interface EventTexts {
  readonly texts: string[];
  readonly exact: boolean;
}

/**
 * Where the server keeps runs and their events. The default is `SqliteRunStore` (one file, no
 * setup); a shared store (a database server) can replace it by implementing this interface.
 * Events are handed back as JSON text so they go on the wire without being parsed again.
 * Every method is synchronous: the server calls it between two batches, never per event.
 */
export interface RunStore {
  /** Inserts or replaces the run's summary. */
  saveRun(summary: RunSummary): void;
  /**
   * Appends events (in `seq` order; a `seq` already stored is ignored) and saves the summary,
   * atomically. `texts[i]` is `JSON.stringify(events[i])`, made once by the caller for the wire too.
   */
  appendEvents(summary: RunSummary, events: readonly TrainEvent[], texts: readonly string[]): void;
  getRun(runId: string): RunSummary | undefined;
  /** Every run, newest first. */
  listRuns(): RunSummary[];
  readEvents(runId: string, range: EventRange): string[];
  /** Min/max downsampling of the step events' loss per bucket of `seq` (see `DownsampleRange`). */
  readDownsampled(runId: string, range: DownsampleRange): EventTexts;
  /** Every event of a run, oldest first, without holding them all in memory. */
  iterateEvents(runId: string): Iterable<string>;
  /** Marks every run still `running` or `paused` as `interrupted` (at start-up: their process died). Returns how many. */
  markLiveRunsInterrupted(): number;
  close(): void;
}
