import type { RunCommand, TrainEvent } from '@downhill/core';
import {
  type ErrorCode,
  type RunSummary,
  type ServerMessageInput,
  splitColumnarSteps,
  toStepColumns,
} from '@downhill/protocol';
import { type Observable, Subject, Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import type { Connection } from './connection.js';
import { LiveRun } from './live-run.js';
import { MessageHandler } from './message-handler.js';
import type { RunStore } from './run-store.js';
import type { Subscriber } from './subscriber.js';
import { newSummary, summarizeEvent } from './summarize-event.js';

/** Tuning of the hub; see `ServerOptions` for what each one means. */
export interface HubOptions {
  readonly token: string | undefined;
  readonly highWaterMark: number;
  readonly historyChunk: number;
  readonly maxBacklog: number;
  readonly coalescePoints: number;
  readonly summaryIntervalMs: number;
  readonly heartbeatMs: number;
  readonly serverName: string;
  readonly maxPayload: number;
}

/** Counters for tests and the benchmark. */
export interface HubStats {
  readonly connections: number;
  readonly liveRuns: number;
  readonly subscribers: number;
  readonly laggingSubscribers: number;
  /** Largest `bufferedAmount` seen on any socket right after the server wrote to it. */
  readonly maxBufferedAmount: number;
  /** Time spent in `flush` (storing, encoding, writing to sockets), in ms: what serving costs the thread. */
  readonly flushMs: number;
  /** Largest frame written, in bytes. */
  readonly maxFrameBytes: number;
  /** Live batches not written to a subscriber because its buffer was over the high-water mark. */
  readonly skippedFrames: number;
  readonly framesSent: number;
}

/**
 * The server's heart: live runs, their subscribers and the run-list watchers (the protocol itself
 * is spoken by `MessageHandler`). `flush()` (every ~50 ms) stores the new events of each live run in one
 * transaction, then writes them as ONE serialized frame to every subscriber that is up to date and
 * under the high-water mark; the others catch up from the store, chunk by chunk, once their socket
 * drains. So a slow client costs the run nothing, and the memory it pins is its socket buffer.
 */
export class RunHub {
  // Shared with MessageHandler (the hub is internal to the package).
  readonly live = new Map<string, LiveRun>();
  readonly connections = new Map<WebSocket, Connection>();
  readonly lagging = new Set<Subscriber>();
  private readonly handler = new MessageHandler(this);
  private stats = { maxBufferedAmount: 0, maxFrameBytes: 0, skippedFrames: 0, framesSent: 0, flushMs: 0 };

  constructor(
    readonly store: RunStore,
    readonly options: HubOptions,
  ) {}

  /** Adopts a socket that passed the upgrade checks. */
  open(socket: WebSocket): void {
    this.handler.open(socket);
  }

  // ---- runs -------------------------------------------------------------------------------

  /** Attaches an in-process run built around a command Subject the hub owns (see `DownhillServer.attach`). */
  attach(
    build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
    meta: Record<string, unknown>,
  ): { runId: Promise<string>; done: Promise<void>; detach: () => void } {
    const commands = new Subject<RunCommand>();
    let run: LiveRun | undefined;
    let resolveId!: (id: string) => void;
    let rejectId!: (err: unknown) => void;
    const runId = new Promise<string>((res, rej) => {
      resolveId = res;
      rejectId = rej;
    });
    let resolveDone!: () => void;
    const done = new Promise<void>((res) => {
      resolveDone = res;
    });
    const finish = (failure?: unknown): void => {
      if (run && !run.ended) {
        run.ended = true;
        if (failure !== undefined) {
          run.summary.status = 'ended';
          run.summary.endReason = 'error';
        } else if (run.summary.status !== 'ended') run.summary.status = 'interrupted';
        this.markSummary(run, true);
      }
      commands.complete();
      if (run) {
        // `done` means the run's last events are in the store too (at the next flush).
        run.onStored = resolveDone;
      } else {
        rejectId(failure ?? new Error('the run completed without a start event'));
        resolveDone();
      }
    };
    // Built before subscribing: a run emits `start` synchronously, inside `subscribe`.
    const subscription = new Subscription();
    subscription.add(
      build(commands.asObservable()).subscribe({
        next: (event) => {
          if (subscription.closed) return;
          if (!run) {
            if (this.live.has(event.runId) || this.store.getRun(event.runId)) {
              finish(new Error(`run ${event.runId} already exists`));
              subscription.unsubscribe();
              return;
            }
            run = new LiveRun(newSummary(event.runId, 'local', meta, Date.now()), commands, undefined);
            run.subscription = subscription;
            this.live.set(event.runId, run);
            resolveId(event.runId);
          }
          this.ingest(run, event);
        },
        error: (err: unknown) => finish(err),
        complete: () => finish(),
      }),
    );
    return {
      runId,
      done,
      detach: () => {
        subscription.unsubscribe();
        finish();
      },
    };
  }

  ingest(run: LiveRun, event: TrainEvent): void {
    if (summarizeEvent(run.summary, event, Date.now())) run.summaryUrgent = true;
    run.summaryDirty = true;
    run.pending.push(event);
    if (event.type === 'end') run.ended = true;
  }

  markSummary(run: LiveRun, urgent: boolean): void {
    run.summaryDirty = true;
    if (urgent) run.summaryUrgent = true;
  }

  /** The summary of a run: the live one when it is live, else the stored one. */
  summaryOf(runId: string): RunSummary | undefined {
    return this.live.get(runId)?.summary ?? this.store.getRun(runId);
  }

  /** Every run, newest first, live ones with their latest figures. */
  listRuns(): RunSummary[] {
    return this.store.listRuns().map((stored) => this.live.get(stored.runId)?.summary ?? stored);
  }

  private lastStoredSeq(runId: string): number {
    const run = this.live.get(runId);
    return run ? run.storedSeq : (this.store.getRun(runId)?.lastSeq ?? -1);
  }

  // ---- flushing ---------------------------------------------------------------------------

  /** Stores and broadcasts what arrived since the last flush, then lets lagging subscribers catch up. */
  flush(now = Date.now()): void {
    const started = performance.now();
    this.flushRuns(now);
    this.stats.flushMs += performance.now() - started;
  }

  private flushRuns(now: number): void {
    for (const run of this.live.values()) {
      const runId = run.summary.runId;
      if (run.pending.length > 0) {
        const events = run.pending;
        run.pending = [];
        // Each event is serialized once, for the store and for the wire.
        const texts = events.map((event) => JSON.stringify(event));
        this.store.appendEvents(run.summary, events, texts);
        const first = events[0]!.seq;
        run.storedSeq = events[events.length - 1]!.seq;
        this.broadcastEvents(runId, first, events);
      } else if (run.summaryDirty && run.summaryUrgent) {
        this.store.saveRun(run.summary);
      }
      if (
        run.summaryDirty &&
        (run.summaryUrgent || now - run.lastSummarySent >= this.options.summaryIntervalMs)
      ) {
        run.summaryDirty = false;
        run.summaryUrgent = false;
        run.lastSummarySent = now;
        this.broadcastSummary(run.summary);
      }
      if (run.ended) {
        this.live.delete(runId);
        run.onStored?.();
      }
    }
    for (const subscriber of this.lagging) this.pump(subscriber);
    for (const [socket, connection] of this.connections) {
      if (connection.watchStale && socket.bufferedAmount < this.options.highWaterMark) {
        connection.watchStale = false;
        this.send(socket, { type: 'runs', runs: this.listRuns() });
      }
    }
  }

  private broadcastEvents(runId: string, first: number, events: readonly TrainEvent[]): void {
    // In frames of at most `historyChunk` events, each encoded once for every socket, so that
    // what a subscriber can have queued stays under the high-water mark plus one such frame.
    const chunk = this.options.historyChunk;
    for (let start = 0; start < events.length; start += chunk) {
      const part = events.length <= chunk ? events : events.slice(start, start + chunk);
      const partFirst = first + start;
      const partLast = partFirst + part.length - 1;
      let frame: Buffer | undefined;
      for (const connection of this.connections.values()) {
        const subscriber = connection.subscriptions.get(runId);
        if (!subscriber || subscriber.lagging) continue;
        const socket = subscriber.socket;
        if (subscriber.sentSeq === partFirst - 1 && socket.bufferedAmount < this.options.highWaterMark) {
          frame ??= Buffer.from(liveFrame(runId, part));
          this.write(socket, frame);
          subscriber.sentSeq = partLast;
        } else {
          this.stats.skippedFrames++;
          subscriber.lagging = true;
          this.lagging.add(subscriber);
        }
      }
    }
  }

  /**
   * Sends a subscriber what it lacks, from the store, while its socket stays under the
   * high-water mark: its initial history (downsampled when it asked for `maxPoints`), or after a
   * stall the events it missed (coalesced when the backlog is longer than `maxBacklog`).
   */
  pump(subscriber: Subscriber): void {
    const { socket, runId } = subscriber;
    if (socket.readyState !== socket.OPEN) {
      this.lagging.delete(subscriber);
      return;
    }
    const last = this.lastStoredSeq(runId);
    const hwm = this.options.highWaterMark;
    while (subscriber.sentSeq < last && socket.bufferedAmount < hwm) {
      const phase = subscriber.historyDone ? 'resync' : 'history';
      const backlog = last - subscriber.sentSeq;
      const from = subscriber.sentSeq + 1;
      let texts: string[];
      let exact = true;
      if (!subscriber.historyDone && subscriber.maxPoints !== undefined) {
        ({ texts, exact } = this.store.readDownsampled(runId, {
          fromSeq: from,
          toSeq: last,
          points: subscriber.maxPoints,
        }));
        subscriber.sentSeq = last;
      } else if (subscriber.historyDone && backlog > this.options.maxBacklog) {
        ({ texts, exact } = this.store.readDownsampled(runId, {
          fromSeq: from,
          toSeq: last,
          points: this.options.coalescePoints,
        }));
        subscriber.sentSeq = last;
      } else {
        texts = this.store.readEvents(runId, {
          fromSeq: from,
          toSeq: last,
          limit: this.options.historyChunk,
        });
        if (texts.length === 0) {
          subscriber.sentSeq = last; // nothing stored in the range (cannot happen with a gap-free store)
        } else {
          subscriber.sentSeq = Math.min(last, from + texts.length - 1);
        }
      }
      const complete = phase === 'history' && subscriber.sentSeq >= last;
      this.write(socket, eventsFrame(runId, phase, exact, complete, texts));
      if (complete) subscriber.historyDone = true;
    }
    if (subscriber.sentSeq >= last) {
      if (!subscriber.historyDone) {
        // Nothing stored from `fromSeq` on: the (empty) history is complete all the same.
        this.write(socket, eventsFrame(runId, 'history', true, true, []));
        subscriber.historyDone = true;
      }
      subscriber.lagging = false;
      this.lagging.delete(subscriber);
    }
  }

  private broadcastSummary(summary: RunSummary): void {
    let frame: string | undefined;
    for (const [socket, connection] of this.connections) {
      if (!connection.watching) continue;
      if (socket.bufferedAmount >= this.options.highWaterMark) {
        connection.watchStale = true;
        continue;
      }
      frame ??= JSON.stringify({ type: 'run', run: summary });
      this.write(socket, frame);
    }
  }

  private write(socket: WebSocket, frame: string | Buffer): void {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(frame, { binary: false });
    this.stats.framesSent++;
    // A string's length is a lower bound of its UTF-8 size; event JSON is almost all ASCII.
    if (frame.length > this.stats.maxFrameBytes) this.stats.maxFrameBytes = frame.length;
    if (socket.bufferedAmount > this.stats.maxBufferedAmount)
      this.stats.maxBufferedAmount = socket.bufferedAmount;
  }

  send(socket: WebSocket, message: ServerMessageInput): void {
    this.write(socket, JSON.stringify(message));
  }

  sendError(
    socket: WebSocket,
    code: ErrorCode,
    message: string,
    extra: { requestId?: string; runId?: string } = {},
  ): void {
    this.send(socket, { type: 'error', code, message, ...extra });
  }

  /** Ends every live run (local ones are unsubscribed, so their training stops) and stores what arrived. */
  shutdown(): void {
    for (const run of this.live.values()) {
      run.subscription?.unsubscribe();
      if (!run.ended) {
        run.summary.status = 'interrupted';
        run.ended = true;
        this.markSummary(run, true);
      }
    }
    this.flush();
  }

  getStats(): HubStats {
    let subscribers = 0;
    for (const connection of this.connections.values()) subscribers += connection.subscriptions.size;
    return {
      connections: this.connections.size,
      liveRuns: this.live.size,
      subscribers,
      laggingSubscribers: this.lagging.size,
      ...this.stats,
    };
  }
}

/** A live batch: step events in columns (a fifth to a third of the bytes), the others whole. */
function liveFrame(runId: string, events: readonly TrainEvent[]): string {
  const { steps, others } = splitColumnarSteps(events);
  const frame = eventsFrame(
    runId,
    'live',
    true,
    false,
    others.map((event) => JSON.stringify(event)),
  );
  if (steps.length === 0) return frame;
  return `${frame.slice(0, -1)},"steps":${JSON.stringify(toStepColumns(steps))}}`;
}

function eventsFrame(
  runId: string,
  phase: string,
  exact: boolean,
  complete: boolean,
  texts: readonly string[],
): string {
  const head = JSON.stringify({ type: 'events', runId, phase, exact, ...(complete ? { complete } : {}) });
  return `${head.slice(0, -1)},"events":[${texts.join(',')}]}`;
}
