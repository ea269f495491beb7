import type { RunCommand, TrainEvent } from '@downhill/core';

/**
 * One event on its way over a run link: its `seq`, and the event, its JSON text or both. The text
 * is made when something needs it (a file spool, the WebSocket transport) and kept (`entryText`);
 * links within one process carry the event itself and never make it on the training thread. An
 * event read back from a file spool has only its text.
 */
export interface LinkEntry {
  readonly seq: number;
  text?: string;
  readonly event?: TrainEvent;
}

/** The entry's JSON, made once. */
export function entryText(entry: LinkEntry): string {
  entry.text ??= JSON.stringify(entry.event);
  return entry.text;
}

/** Bytes an entry counts for in batching and spool limits: its text's length, or a typical event's when it has none yet. */
export function entrySize(entry: LinkEntry): number {
  return entry.text?.length ?? 256;
}

/** Why the server side refused a run or a batch, and whether trying again later can help. */
export interface LinkRefusal {
  /** A protocol error code (`unauthorized`, `store-failed`, `conflict`, `run-ended` ...). */
  readonly code: string;
  readonly message: string;
}

/** What a transport reports to the trainer side of the link. */
export interface RunLinkHandlers {
  /** Connected (again): the link claims its run with `attach`. */
  up(): void;
  /** The server took the run: it has committed every event below `nextSeq`; send the rest. */
  attached(nextSeq: number): void;
  /** The store has committed every event up to `seq`. */
  acked(seq: number): void;
  /** A command (stop, pause, set ...) for the run, from the dashboard or another client. */
  command(command: RunCommand): void;
  refused(refusal: LinkRefusal): void;
  /** The connection dropped; the transport reconnects by itself and calls `up` again. */
  down(reason: string): void;
}

/**
 * The trainer side of one way to carry a run's events to a server (same process, worker thread,
 * WebSocket, later Redis Streams). A transport only moves messages: batching, acknowledgement,
 * resending and spooling are the link's (`linkRun`), the same for every transport.
 */
export interface RunLinkTransport {
  /** Whether `send` needs each entry's JSON text (a socket) or takes the events as they are (a link within the process). */
  readonly needsText: boolean;
  /** Starts connecting; reports through `handlers` from then on. */
  start(handlers: RunLinkHandlers): void;
  /** Claims the run on the server side; answered by `attached` or `refused`. */
  attach(runId: string, meta: Readonly<Record<string, unknown>> | undefined): void;
  /** Sends events of the run, `seq` increasing; answered (after the store commits) by `acked`. */
  send(runId: string, entries: readonly LinkEntry[]): void;
  /** Stops for good. */
  close(): void;
}

/**
 * Where the trainer side keeps every event until the server side acknowledges it: in memory
 * (`MemorySpool`) or in an append-only file that outlives the process (`FileSpool` of
 * `@downhill/client/node`). Bounded: past its limit a spool drops its oldest unacknowledged step
 * events (never start, epoch, status or end events) and counts them.
 */
export interface Spool {
  /** Keeps events (`seq` increasing); a `seq` not above the last one kept is ignored (a resumed run's replay). */
  append(entries: readonly LinkEntry[]): void;
  /** Unacknowledged events with `seq >= fromSeq`, oldest first: at most `maxEntries`, and about `maxBytes` of text (at least one). */
  read(fromSeq: number, maxEntries: number, maxBytes: number): LinkEntry[];
  /** Every event up to `seq` is stored: the spool may forget it. */
  acknowledge(seq: number): void;
  /** Highest `seq` kept so far (-1 when none). */
  readonly lastSeq: number;
  /** Events kept and not acknowledged. */
  readonly pending: number;
  /** Step events dropped for lack of room. */
  readonly dropped: number;
  /** Where the spool lives, for messages (a file path), or undefined in memory. */
  readonly location: string | undefined;
  /** Closes; `stored`: every event was acknowledged, so a file spool deletes itself. */
  close(stored: boolean): void;
}

/**
 * One batching policy for every link: a batch goes out `maxDelayMs` after its first event, at
 * once when it holds a non-step event (start, epoch, status, end: the run list should hear of
 * them now) or `maxBytes` of JSON; at most `maxInFlight` events are sent and not yet acknowledged,
 * so a server whose store is slow holds the trainer's events in the trainer's spool, not in
 * socket buffers.
 */
export const LINK_BATCH_POLICY = {
  maxDelayMs: 20,
  maxBytes: 192 * 1024,
  maxEntries: 5000,
  maxInFlight: 50_000,
} as const;
