import type { WebSocket } from 'ws';

/** One connection's subscription to one run: what it has been sent so far. */
export interface Subscriber {
  readonly socket: WebSocket;
  readonly runId: string;
  /** Highest `seq` sent to this subscriber (every event up to it was sent, or coalesced away). */
  sentSeq: number;
  /** Downsample the initial history to about this many step events. */
  readonly maxPoints: number | undefined;
  /** The initial history has been sent (with `complete: true`). */
  historyDone: boolean;
  /** Live batches skip this subscriber until it has caught up from the store. */
  lagging: boolean;
  /** A read from the store for this subscriber is under way (one at a time). */
  pumping: boolean;
}
