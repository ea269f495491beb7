import type { RunCommand, TrainEvent } from '@downhill/core';
import type { RunSummary } from '@downhill/protocol';
import type { Subject, Subscription } from 'rxjs';
import type { WebSocket } from 'ws';

/**
 * A run whose events are still arriving: from a `train()` observable in this process (`commands`
 * is the Subject its control input reads) or from a publisher connection in another process.
 * Events wait in `pending` until the next flush (~50 ms) stores them and broadcasts them as one frame.
 */
export class LiveRun {
  pending: TrainEvent[] = [];
  /** Highest `seq` written to the store. */
  storedSeq: number;
  ended = false;
  /** The run-list should hear about this run at the next flush. */
  summaryDirty = false;
  summaryUrgent = false;
  lastSummarySent = 0;
  subscription: Subscription | undefined;
  /** Called once the run has ended and its last events are stored. */
  onStored: (() => void) | undefined;

  constructor(
    readonly summary: RunSummary,
    readonly commands: Subject<RunCommand> | undefined,
    public publisher: WebSocket | undefined,
  ) {
    this.storedSeq = summary.lastSeq;
  }

  /** The `seq` the run's next event must carry. */
  get nextSeq(): number {
    return this.summary.lastSeq + 1;
  }
}
