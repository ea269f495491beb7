import type { RunCommand, TrainEvent } from '@downhill/core';
import { isStep, MemorySpool } from './memory-spool.js';
import {
  entrySize,
  entryText,
  LINK_BATCH_POLICY,
  type LinkEntry,
  type LinkRefusal,
  type RunLinkTransport,
  type Spool,
} from './run-link.js';

/** Anything with RxJS's `subscribe` shape (an `Observable<TrainEvent>`), so this file needs no RxJS. */
export interface TrainEventSource {
  subscribe(observer: {
    next: (event: TrainEvent) => void;
    error: (err: unknown) => void;
    complete: () => void;
  }): { unsubscribe(): void };
}

/** Options of `linkRun`. */
export interface LinkRunOptions {
  readonly transport: RunLinkTransport;
  /** Where events wait for their acknowledgement. Default: a `MemorySpool`. */
  readonly spool?: Spool;
  /** Shown in the run list (name, host, command line ...). */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Where the events go, for messages (`http://127.0.0.1:4400`, `server thread` ...). */
  readonly target: string;
  /**
   * After the run ends, how long to wait for the last acknowledgement, in ms. Default 5000. When
   * it does not come, `done` gets an error saying what is missing (and where a file spool keeps it
   * for `downhill runs sync`).
   */
  readonly finishTimeoutMs?: number;
  /** First delay before claiming the run again after a refusal that may pass (it doubles up to 10 s). Default 250. */
  readonly retryDelayMs?: number;
  /** Where warnings go (link down, back, spool full). Default `console.warn`. */
  readonly warn?: (message: string) => void;
}

/** What `linkRun` reports to its caller. */
export interface LinkRunCallbacks {
  /** Each event of the run, as it happens (whatever the link's state). */
  next(event: TrainEvent): void;
  /** A command for the run from the server side. */
  command(command: RunCommand): void;
  /** The server side took the run (first time, and again after each reconnect). */
  attached?(runId: string): void;
  /** The run ended and the link is settled: every event acknowledged (or kept in a file spool), or `error`. */
  done(error?: Error): void;
}

/** Refusals that can pass: the link claims the run again later (a restarted server, a store that recovers). */
const RETRYABLE = new Set(['unauthorized', 'store-failed', 'busy', 'not-publisher', 'too-large']);

/**
 * The trainer side of a run link, the same for every transport: runs `source`, keeps each event
 * in the spool until the server side acknowledges that its store committed it, sends in batches
 * (`LINK_BATCH_POLICY`), and after any reconnect or refusal claims the run again and resends
 * from the first `seq` the server lacks (the server drops what it already has). A link that is
 * down never holds the training back: events wait in the spool. Returns a function that stops
 * the run; the link then delivers what the run produced and settles (`done`) as when the run
 * ends by itself.
 */
export function linkRun(
  source: TrainEventSource,
  options: LinkRunOptions,
  callbacks: LinkRunCallbacks,
): () => void {
  const { transport, target } = options;
  const spool = options.spool ?? new MemorySpool();
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const policy = LINK_BATCH_POLICY;
  let runId: string | undefined;
  let up = false;
  let attached = false;
  /** Highest `seq` sent since the last `attached`; resending starts after it. */
  let sentThrough = -1;
  let acked = -1;
  let unsentBytes = 0;
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let finishTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = options.retryDelayMs ?? 250;
  /** `seq` of the run's last event once the run has ended (-1: it ended without events). */
  let finalSeq: number | undefined;
  let runError: Error | undefined;
  let settled = false;
  /** Set while the link is down or refused, so that the warning is printed once per outage. */
  let outage: string | undefined;
  let warnedDropped = 0;

  const pendingText = (): string => {
    const where = spool.location ? `in ${spool.location}` : 'in memory';
    return `${spool.pending} event(s) waiting ${where}`;
  };

  const noteOutage = (why: string): void => {
    if (outage !== undefined || settled) return;
    outage = why;
    warn(
      `downhill: the run link to ${target} is down (${why}); training goes on, ${pendingText()}, sent when it is back`,
    );
  };

  const sendBatches = (): void => {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    unsentBytes = 0;
    if (!attached || runId === undefined) return;
    while (sentThrough - acked < policy.maxInFlight) {
      const entries = spool.read(sentThrough + 1, policy.maxEntries, policy.maxBytes);
      if (entries.length === 0) break;
      if (transport.needsText) for (const entry of entries) entryText(entry);
      transport.send(runId, entries);
      sentThrough = entries[entries.length - 1]!.seq;
    }
    if (spool.dropped > warnedDropped) {
      warn(
        `downhill: the spool ${spool.location ?? 'in memory'} is full: ${spool.dropped - warnedDropped} step event(s) dropped (recorded as gaps)`,
      );
      warnedDropped = spool.dropped;
    }
  };

  const claim = (): void => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    if (up && runId !== undefined && !settled) transport.attach(runId, options.meta);
  };

  const finishIfStored = (): void => {
    if (settled || finalSeq === undefined || acked < finalSeq) return;
    settle(runError);
  };

  const settle = (error?: Error): void => {
    if (settled) return;
    settled = true;
    clearTimeout(batchTimer);
    clearTimeout(retryTimer);
    clearTimeout(finishTimer);
    const stored = finalSeq !== undefined && acked >= finalSeq;
    spool.close(stored);
    transport.close();
    callbacks.done(error);
  };

  transport.start({
    up: () => {
      up = true;
      claim();
    },
    attached: (nextSeq) => {
      attached = true;
      retryDelay = options.retryDelayMs ?? 250;
      acknowledge(nextSeq - 1);
      if (outage !== undefined) {
        warn(`downhill: the run link to ${target} is back; sending ${pendingText()}`);
        outage = undefined;
      }
      if (runId !== undefined) callbacks.attached?.(runId);
      // Whatever was sent before may be lost: send again everything the server lacks.
      sentThrough = Math.max(acked, nextSeq - 1);
      sendBatches();
      finishIfStored();
    },
    acked: (seq) => {
      acknowledge(seq);
      if (attached) sendBatches();
      finishIfStored();
    },
    command: (command) => {
      if (!settled) callbacks.command(command);
    },
    refused: (refusal) => refused(refusal),
    down: (reason) => {
      up = false;
      attached = false;
      noteOutage(reason);
    },
  });

  const acknowledge = (seq: number): void => {
    if (seq <= acked) return;
    acked = seq;
    spool.acknowledge(seq);
  };

  const refused = ({ code, message }: LinkRefusal): void => {
    attached = false;
    if (code === 'run-ended' && finalSeq !== undefined) {
      // The server has the run's `end` (it commits in order): everything is stored.
      acknowledge(finalSeq);
      finishIfStored();
      return;
    }
    if (!RETRYABLE.has(code)) {
      settle(new Error(`${target} refused run ${runId}: ${message}`));
      stopSource();
      return;
    }
    noteOutage(`${code}: ${message}`);
    retryTimer ??= setTimeout(claim, retryDelay);
    retryDelay = Math.min(10_000, retryDelay * 2);
  };

  const add = (event: TrainEvent): void => {
    if (runId === undefined) {
      runId = event.runId;
      claim();
    }
    if (event.seq <= spool.lastSeq) return; // a resumed run replays what the spool already has
    const entry: LinkEntry = { seq: event.seq, event };
    spool.append([entry]);
    unsentBytes += entrySize(entry);
    if (!isStep(entry) || unsentBytes >= policy.maxBytes) sendBatches();
    else batchTimer ??= setTimeout(sendBatches, policy.maxDelayMs);
  };

  const ended = (): void => {
    finalSeq = spool.lastSeq;
    sendBatches();
    if (acked >= finalSeq) {
      settle(runError);
      return;
    }
    finishTimer = setTimeout(() => {
      if (settled) return;
      const why = outage === undefined ? '' : ` (${outage})`;
      const got = acked < 0 ? 'no event' : `the events up to seq ${acked} of ${finalSeq}`;
      const missing = `${spool.pending} of the run's events were not stored${why}`;
      const kept =
        spool.location === undefined
          ? ''
          : `; they are kept in ${spool.location}: upload them with \`downhill runs sync ${spool.location} --server URL\``;
      settle(runError ?? new Error(`${target} acknowledged ${got}; ${missing}${kept}`));
    }, options.finishTimeoutMs ?? 5000);
    // Waiting for the last acknowledgement does not keep a process alive by itself: a transport
    // that is still trying (a socket reconnecting) does; one that is gone for good (a closed
    // server in this process) does not.
    (finishTimer as { unref?: () => void }).unref?.();
  };

  let subscription: { unsubscribe(): void } | undefined;
  let sourceDone = false;
  const stopSource = (): void => {
    sourceDone = true;
    subscription?.unsubscribe();
  };
  subscription = source.subscribe({
    next: (event) => {
      if (sourceDone) return;
      add(event);
      callbacks.next(event);
    },
    error: (err) => {
      sourceDone = true;
      runError = err instanceof Error ? err : new Error(String(err));
      ended();
    },
    complete: () => {
      sourceDone = true;
      ended();
    },
  });
  if (sourceDone) subscription = undefined;

  return () => {
    if (sourceDone) return;
    // Stopped from outside: what the run produced is still delivered (or kept in a file spool),
    // as when it ends by itself.
    stopSource();
    ended();
  };
}
