import { timingSafeEqual } from 'node:crypto';
import type { RunCommand, TrainEvent } from '@downhill/core';
import {
  type ClientMessage,
  decodeClientMessage,
  type ErrorCode,
  type RunSummary,
  type ServerMessageInput,
  SUBPROTOCOL,
} from '@downhill/protocol';
import { type Observable, Subject, Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import { LiveRun } from './live-run.js';
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

interface Connection {
  readonly subscriptions: Map<string, Subscriber>;
  watching: boolean;
  /** The run list changed while this watcher's buffer was full: send it whole when it drains. */
  watchStale: boolean;
  readonly publishing: Set<string>;
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
 * The server's heart: live runs, their subscribers, the run-list watchers, and the handling of
 * every client message. `flush()` (every ~50 ms) stores the new events of each live run in one
 * transaction, then writes them as ONE serialized frame to every subscriber that is up to date and
 * under the high-water mark; the others catch up from the store, chunk by chunk, once their socket
 * drains. So a slow client costs the run nothing, and the memory it pins is its socket buffer.
 */
export class RunHub {
  private readonly live = new Map<string, LiveRun>();
  private readonly connections = new Map<WebSocket, Connection>();
  private readonly lagging = new Set<Subscriber>();
  private stats = { maxBufferedAmount: 0, maxFrameBytes: 0, skippedFrames: 0, framesSent: 0, flushMs: 0 };

  constructor(
    private readonly store: RunStore,
    private readonly options: HubOptions,
  ) {}

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

  private ingest(run: LiveRun, event: TrainEvent): void {
    if (summarizeEvent(run.summary, event, Date.now())) run.summaryUrgent = true;
    run.summaryDirty = true;
    run.pending.push(event);
    if (event.type === 'end') run.ended = true;
  }

  private markSummary(run: LiveRun, urgent: boolean): void {
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
        this.broadcastEvents(runId, first, texts);
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

  private broadcastEvents(runId: string, first: number, texts: readonly string[]): void {
    // In frames of at most `historyChunk` events, each encoded once for every socket, so that
    // what a subscriber can have queued stays under the high-water mark plus one such frame.
    const chunk = this.options.historyChunk;
    for (let start = 0; start < texts.length; start += chunk) {
      const part = texts.length <= chunk ? texts : texts.slice(start, start + chunk);
      const partFirst = first + start;
      const partLast = partFirst + part.length - 1;
      let frame: Buffer | undefined;
      for (const connection of this.connections.values()) {
        const subscriber = connection.subscriptions.get(runId);
        if (!subscriber || subscriber.lagging) continue;
        const socket = subscriber.socket;
        if (subscriber.sentSeq === partFirst - 1 && socket.bufferedAmount < this.options.highWaterMark) {
          frame ??= Buffer.from(eventsFrame(runId, 'live', true, false, part));
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
  private pump(subscriber: Subscriber): void {
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

  private send(socket: WebSocket, message: ServerMessageInput): void {
    this.write(socket, JSON.stringify(message));
  }

  private sendError(
    socket: WebSocket,
    code: ErrorCode,
    message: string,
    extra: { requestId?: string; runId?: string } = {},
  ): void {
    this.send(socket, { type: 'error', code, message, ...extra });
  }

  // ---- connections ------------------------------------------------------------------------

  /** Adopts a socket that passed the upgrade checks. */
  open(socket: WebSocket): void {
    if (socket.protocol !== SUBPROTOCOL) {
      const offered =
        socket.protocol === '' ? 'no subprotocol' : `subprotocol ${JSON.stringify(socket.protocol)}`;
      socket.close(
        4001,
        `unsupported protocol: the client offered ${offered}, this server speaks ${SUBPROTOCOL}`,
      );
      return;
    }
    const connection: Connection = {
      subscriptions: new Map(),
      watching: false,
      watchStale: false,
      publishing: new Set(),
    };
    this.connections.set(socket, connection);
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.sendError(
          socket,
          'invalid-message',
          'binary frames are not part of the protocol: send JSON text',
        );
        return;
      }
      const size = (data as Buffer).length;
      if (size > this.options.maxPayload) {
        this.sendError(
          socket,
          'too-large',
          `frame of ${size} bytes refused: the limit is ${this.options.maxPayload} bytes (send events in smaller batches)`,
        );
        return;
      }
      this.receive(socket, connection, data.toString());
    });
    socket.on('close', () => this.closed(socket, connection));
    this.sendWelcome(socket);
  }

  private sendWelcome(socket: WebSocket): void {
    this.send(socket, {
      type: 'welcome',
      protocol: SUBPROTOCOL,
      server: this.options.serverName,
      tokenRequired: this.options.token !== undefined,
      heartbeatMs: this.options.heartbeatMs,
    });
  }

  private closed(socket: WebSocket, connection: Connection): void {
    this.connections.delete(socket);
    for (const subscriber of connection.subscriptions.values()) this.lagging.delete(subscriber);
    for (const runId of connection.publishing) {
      const run = this.live.get(runId);
      if (!run || run.publisher !== socket) continue;
      run.publisher = undefined;
      if (!run.ended) {
        // The trainer went away without an `end` event: keep what arrived, mark the run.
        run.summary.status = 'interrupted';
        run.ended = true;
        this.markSummary(run, true);
      }
    }
    if (connection.publishing.size > 0) this.flush();
  }

  private receive(socket: WebSocket, connection: Connection, text: string): void {
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.sendError(
        socket,
        decoded.code,
        decoded.error,
        decoded.requestId === undefined ? {} : { requestId: decoded.requestId },
      );
      return;
    }
    try {
      this.handle(socket, connection, decoded.message);
    } catch (err) {
      // A bug or a store failure answers this message only; the connection and the others go on.
      this.sendError(
        socket,
        'invalid-message',
        `the server could not handle this message: ${(err as Error).message}`,
      );
    }
  }

  private handle(socket: WebSocket, connection: Connection, message: ClientMessage): void {
    switch (message.type) {
      case 'hello':
        this.sendWelcome(socket);
        return;
      case 'ping':
        this.send(socket, { type: 'pong', id: message.id });
        return;
      case 'listRuns':
        connection.watching = connection.watching || message.watch === true;
        this.send(socket, {
          type: 'runs',
          runs: this.listRuns(),
          ...(message.requestId ? { requestId: message.requestId } : {}),
        });
        return;
      case 'unwatchRuns':
        connection.watching = false;
        return;
      case 'subscribe': {
        if (!this.summaryOf(message.runId)) {
          this.sendError(socket, 'unknown-run', `no run with id ${JSON.stringify(message.runId)}`, {
            runId: message.runId,
          });
          return;
        }
        const previous = connection.subscriptions.get(message.runId);
        if (previous) this.lagging.delete(previous);
        const subscriber: Subscriber = {
          socket,
          runId: message.runId,
          sentSeq: (message.fromSeq ?? 0) - 1,
          maxPoints: message.maxPoints,
          historyDone: false,
          lagging: true,
        };
        connection.subscriptions.set(message.runId, subscriber);
        this.lagging.add(subscriber);
        this.pump(subscriber);
        return;
      }
      case 'unsubscribe': {
        const subscriber = connection.subscriptions.get(message.runId);
        if (subscriber) this.lagging.delete(subscriber);
        connection.subscriptions.delete(message.runId);
        return;
      }
      case 'control':
        this.control(socket, message);
        return;
      case 'publish':
        this.publish(socket, connection, message);
        return;
      case 'publishEvents':
        this.publishEvents(socket, connection, message);
        return;
    }
  }

  private authorized(token: string | undefined): boolean {
    const expected = this.options.token;
    if (expected === undefined) return true;
    if (token === undefined) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private control(socket: WebSocket, message: Extract<ClientMessage, { type: 'control' }>): void {
    const ids = { runId: message.runId, ...(message.requestId ? { requestId: message.requestId } : {}) };
    if (!this.authorized(message.token)) {
      this.sendError(
        socket,
        'unauthorized',
        'control messages need the token the server printed at start-up',
        ids,
      );
      return;
    }
    const run = this.live.get(message.runId);
    if (!run) {
      const known = this.summaryOf(message.runId);
      if (known)
        this.sendError(
          socket,
          'run-ended',
          `run ${message.runId} is ${known.status}: it takes no commands`,
          ids,
        );
      else this.sendError(socket, 'unknown-run', `no run with id ${JSON.stringify(message.runId)}`, ids);
      return;
    }
    if (run.ended || (!run.commands && !run.publisher)) {
      this.sendError(socket, 'run-ended', `run ${message.runId} has ended: it takes no commands`, ids);
      return;
    }
    const command: RunCommand = { ...message.command, source: message.command.source ?? 'remote' };
    if (run.commands) run.commands.next(command);
    else this.send(run.publisher!, { type: 'command', runId: message.runId, command: message.command });
    this.send(socket, { type: 'ack', ...ids });
  }

  private publish(
    socket: WebSocket,
    connection: Connection,
    message: Extract<ClientMessage, { type: 'publish' }>,
  ): void {
    const { runId } = message;
    if (!this.authorized(message.token)) {
      this.sendError(
        socket,
        'unauthorized',
        'publishing a run needs the token the server printed at start-up',
        { runId },
      );
      return;
    }
    let run = this.live.get(runId);
    if (run?.commands) {
      this.sendError(socket, 'conflict', `run ${runId} is being trained inside the server's process`, {
        runId,
      });
      return;
    }
    const previous = run?.publisher;
    if (run && previous && previous !== socket) {
      // A trainer that lost its connection may reconnect before the server notices the old one
      // died: the newer connection (it has the token too) takes over the run.
      this.connections.get(previous)?.publishing.delete(runId);
      this.sendError(previous, 'conflict', `run ${runId} was taken over by a newer connection`, { runId });
    }
    if (!run) {
      const stored = this.store.getRun(runId);
      if (stored?.status === 'ended') {
        this.sendError(socket, 'run-ended', `run ${runId} has ended: start a new run with a new id`, {
          runId,
        });
        return;
      }
      const summary = stored
        ? { ...stored, status: 'running' as const, meta: { ...stored.meta, ...message.meta } }
        : newSummary(runId, 'remote', message.meta ?? {}, Date.now());
      run = new LiveRun(summary, undefined, socket);
      this.live.set(runId, run);
      this.markSummary(run, true);
    }
    run.publisher = socket;
    connection.publishing.add(runId);
    this.send(socket, { type: 'published', runId, nextSeq: run.nextSeq });
  }

  private publishEvents(
    socket: WebSocket,
    connection: Connection,
    message: Extract<ClientMessage, { type: 'publishEvents' }>,
  ): void {
    const { runId } = message;
    const run = this.live.get(runId);
    if (!run || run.publisher !== socket || !connection.publishing.has(runId)) {
      this.sendError(socket, 'not-publisher', `send "publish" for run ${runId} before its events`, { runId });
      return;
    }
    for (const event of message.events) {
      if (event.runId !== runId) {
        this.sendError(
          socket,
          'invalid-message',
          `event seq ${event.seq} has runId ${event.runId}, not ${runId}`,
          { runId },
        );
        return;
      }
      if (event.seq < run.nextSeq) continue; // resent after a reconnect: already here
      if (event.seq > run.nextSeq || run.ended) {
        const why = run.ended ? 'the run has ended' : `expected seq ${run.nextSeq}, got ${event.seq}`;
        this.sendError(socket, 'invalid-message', `event refused: ${why}`, { runId });
        return;
      }
      this.ingest(run, event as TrainEvent);
    }
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
