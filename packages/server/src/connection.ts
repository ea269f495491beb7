import type { LinkEndpoint } from './live-run.js';
import type { Subscriber } from './subscriber.js';

/** A `publishEventPart` event being put together. */
export interface EventParts {
  readonly runId: string;
  readonly seq: number;
  readonly parts: number;
  readonly texts: string[];
  bytes: number;
}

/** What the server keeps per WebSocket connection. */
export interface Connection {
  /** This connection's subscriptions, by run id. */
  readonly subscriptions: Map<string, Subscriber>;
  /** Gets a `run` message on every run-list change. */
  watching: boolean;
  /** The run list changed while this watcher's buffer was full: send it whole when it drains. */
  watchStale: boolean;
  /** A `listRuns` answer waits for the buffer to drain (only the latest request is answered). */
  listPending: { readonly requestId: string | undefined } | undefined;
  /** Runs this connection publishes. */
  readonly publishing: Set<string>;
  /** The server side of this connection's run links. */
  readonly endpoint: LinkEndpoint;
  /** A large event arriving in pieces. */
  parts: EventParts | undefined;
}
