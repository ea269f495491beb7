import type { Subscriber } from './subscriber.js';

/** What the server keeps per WebSocket connection. */
export interface Connection {
  /** This connection's subscriptions, by run id. */
  readonly subscriptions: Map<string, Subscriber>;
  /** Gets a `run` message on every run-list change. */
  watching: boolean;
  /** The run list changed while this watcher's buffer was full: send it whole when it drains. */
  watchStale: boolean;
  /** Runs this connection publishes. */
  readonly publishing: Set<string>;
}
