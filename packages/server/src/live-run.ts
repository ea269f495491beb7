import type { RunCommand, TrainEvent } from '@downhill/core';
import type { ErrorCode, RunSummary } from '@downhill/protocol';

/**
 * The server side of one trainer's run link (a WebSocket connection, the training thread of a
 * server thread, a run in the server's own process): what the hub tells the trainer.
 */
export interface LinkEndpoint {
  /** `local`: the run trains in the server's process (or its other thread); `remote`: another process. */
  readonly origin: 'local' | 'remote';
  /** The run is taken: every event below `nextSeq` is committed. */
  attached(runId: string, nextSeq: number): void;
  /** Every event up to `seq` is committed. */
  acked(runId: string, seq: number): void;
  command(runId: string, command: RunCommand): void;
  refused(runId: string, code: ErrorCode, message: string): void;
}

/** An event received and not yet committed, with its JSON (made once, at commit, for the store and the wire). */
export interface PendingEvent {
  readonly event: TrainEvent;
  text?: string;
}

/**
 * A run whose events are still arriving through a link. Events wait in `pending` until the next
 * flush commits them; only then are they broadcast and acknowledged.
 */
export class LiveRun {
  pending: PendingEvent[] = [];
  /** Highest `seq` accepted (committed or pending): a resent event at or below it is dropped. */
  receivedSeq: number;
  /** Highest `seq` committed to the store. */
  storedSeq: number;
  /** The `end` event arrived, or the trainer went away (the run is then `interrupted`). */
  ended = false;
  /** Ended by its own `end` event (not by the trainer's link going away). */
  finished = false;
  /** The run-list should hear about this run at the next flush. */
  summaryDirty = true;
  summaryUrgent = true;
  lastSummarySent = 0;
  /**
   * Events of the run were dropped (a failed commit, a full queue): its trainer must claim it
   * again before sending more. Events it sent meanwhile would otherwise be taken as a gap after
   * the dropped ones, which would never come back; claiming again answers with the first `seq`
   * the store lacks, and the trainer resends from there.
   */
  mustReclaim = false;
  /** A commit with this run's events is under way. */
  writing = false;
  /** Bumped by every change the store must get even without events (status, name, tags). */
  summaryVersion = 1;
  /** The `summaryVersion` last committed. */
  savedVersion = 0;

  constructor(
    readonly summary: RunSummary,
    public endpoint: LinkEndpoint | undefined,
  ) {
    this.storedSeq = summary.lastSeq;
    this.receivedSeq = summary.lastSeq;
  }
}
