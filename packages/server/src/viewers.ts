import type { ErrorCode, RunSummary, ServerMessageInput } from '@downhill/protocol';
import type { WebSocket } from 'ws';
import type { Connection } from './connection.js';
import type { Downsampled, DownsampleRange } from './downsample.js';
import { eventsFrame, liveFrame } from './frames.js';
import type { PendingEvent } from './live-run.js';
import type { EventRange, StoredEvent } from './run-store.js';
import type { Subscriber } from './subscriber.js';

/** How much the server sends each client; see `ServerOptions` for what each one means. */
export interface ViewerOptions {
  readonly highWaterMark: number;
  readonly maxBuffered: number;
  readonly historyChunk: number;
  readonly maxBacklog: number;
  readonly coalescePoints: number;
  readonly log: (message: string) => void;
}

/** Where the viewers read what they send: what is committed, never what is only received. */
export interface CommittedRuns {
  lastStoredSeq(runId: string): number;
  readEvents(runId: string, range: EventRange): Promise<StoredEvent[]>;
  readDownsampled(runId: string, range: DownsampleRange): Promise<Downsampled>;
}

/**
 * Everyone watching: the connections, their subscriptions and run-list watches. Committed events
 * go out as ONE frame per batch, encoded once, to every subscriber that is up to date and under
 * the high-water mark; the others are `lagging` and catch up from the store, one read at a time,
 * once their socket drains. So a slow client costs the run nothing, and the memory it pins is its
 * socket buffer; one that never reads and keeps asking is cut at `maxBuffered`.
 */
export class Viewers {
  readonly connections = new Map<WebSocket, Connection>();
  readonly lagging = new Set<Subscriber>();
  readonly stats = {
    maxBufferedAmount: 0,
    maxFrameBytes: 0,
    skippedFrames: 0,
    framesSent: 0,
    cutConnections: 0,
  };

  constructor(
    private readonly options: ViewerOptions,
    private readonly source: CommittedRuns,
  ) {}

  /** Lets lagging subscribers catch up, and answers run-list requests that waited for a full buffer. */
  serveWaiting(listRuns: () => RunSummary[]): void {
    for (const subscriber of this.lagging) void this.pump(subscriber);
    for (const [socket, connection] of this.connections) {
      if (socket.bufferedAmount >= this.options.highWaterMark) continue;
      if (connection.listPending) {
        const { requestId } = connection.listPending;
        connection.listPending = undefined;
        connection.watchStale = false;
        this.send(socket, { type: 'runs', runs: listRuns(), ...(requestId ? { requestId } : {}) });
      } else if (connection.watchStale) {
        connection.watchStale = false;
        this.send(socket, { type: 'runs', runs: listRuns() });
      }
    }
  }

  subscriberCount(): number {
    let count = 0;
    for (const connection of this.connections.values()) count += connection.subscriptions.size;
    return count;
  }

  toWatchers(frame: string): void {
    for (const [socket, connection] of this.connections) {
      if (!connection.watching) continue;
      if (socket.bufferedAmount >= this.options.highWaterMark) {
        connection.watchStale = true;
        continue;
      }
      this.write(socket, frame);
    }
  }

  broadcastEvents(runId: string, previousStored: number, events: readonly PendingEvent[]): void {
    // In frames of at most `historyChunk` events, each encoded once for every socket, so that
    // what a subscriber can have queued stays under the high-water mark plus one such frame.
    const chunk = this.options.historyChunk;
    for (let start = 0; start < events.length; start += chunk) {
      const part = events.length <= chunk ? events : events.slice(start, start + chunk);
      const before = start === 0 ? previousStored : events[start - 1]!.event.seq;
      const partLast = part[part.length - 1]!.event.seq;
      let frame: Buffer | undefined;
      for (const connection of this.connections.values()) {
        const subscriber = connection.subscriptions.get(runId);
        if (!subscriber || subscriber.lagging) continue;
        const socket = subscriber.socket;
        if (subscriber.sentSeq === before && socket.bufferedAmount < this.options.highWaterMark) {
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

  private isCurrent(subscriber: Subscriber): boolean {
    const { socket } = subscriber;
    return (
      socket.readyState === socket.OPEN &&
      this.connections.get(socket)?.subscriptions.get(subscriber.runId) === subscriber
    );
  }

  /**
   * Sends a subscriber what it lacks, from the store, while its socket stays under the
   * high-water mark: its initial history (downsampled when it asked for `maxPoints`), or after a
   * stall the events it missed (coalesced when the backlog is longer than `maxBacklog`). One read
   * at a time per subscriber; the reads run in the store (SQLite: in its own thread).
   */
  async pump(subscriber: Subscriber): Promise<void> {
    if (subscriber.pumping) return;
    subscriber.pumping = true;
    try {
      await this.catchUp(subscriber);
    } catch (err) {
      this.options.log(
        `downhill server: reading run ${subscriber.runId} for a subscriber failed: ${(err as Error).message}`,
      );
      this.lagging.delete(subscriber);
    } finally {
      subscriber.pumping = false;
    }
  }

  private async catchUp(subscriber: Subscriber): Promise<void> {
    const { socket, runId } = subscriber;
    const { highWaterMark, maxBacklog, coalescePoints } = this.options;
    while (this.isCurrent(subscriber) && socket.bufferedAmount < highWaterMark) {
      const last = this.source.lastStoredSeq(runId);
      if (subscriber.sentSeq >= last) break;
      const from = subscriber.sentSeq + 1;
      const points = subscriber.historyDone
        ? last - subscriber.sentSeq > maxBacklog
          ? coalescePoints
          : undefined
        : subscriber.maxPoints;
      if (points !== undefined) {
        const { events, exact } = await this.source.readDownsampled(runId, {
          fromSeq: from,
          toSeq: last,
          points,
        });
        if (!this.isCurrent(subscriber)) return;
        this.sendCatchUp(subscriber, exact, last, last, events);
      } else {
        // Up to `maxBacklog` events per read, sent in frames of `historyChunk`: a read per frame
        // could not keep up with a fast run, and the subscriber would never get back to live.
        const events = await this.source.readEvents(runId, { fromSeq: from, toSeq: last, limit: maxBacklog });
        if (!this.isCurrent(subscriber)) return;
        const through = events.length === maxBacklog ? events[events.length - 1]!.seq : last;
        this.sendExact(subscriber, events, through, last);
      }
    }
    if (!this.isCurrent(subscriber)) {
      this.lagging.delete(subscriber);
      return;
    }
    if (subscriber.sentSeq >= this.source.lastStoredSeq(runId)) {
      if (!subscriber.historyDone) {
        // Nothing stored from `fromSeq` on: the (empty) history is complete all the same.
        this.write(socket, eventsFrame(runId, 'history', true, true, []));
        subscriber.historyDone = true;
      }
      subscriber.lagging = false;
      this.lagging.delete(subscriber);
    }
  }

  /** Sends `events`, read exactly, in frames of `historyChunk` while the socket stays under the high-water mark. */
  private sendExact(
    subscriber: Subscriber,
    events: readonly StoredEvent[],
    through: number,
    last: number,
  ): void {
    const { historyChunk, highWaterMark } = this.options;
    for (let start = 0; start < events.length; start += historyChunk) {
      const part = events.slice(start, start + historyChunk);
      const isLast = start + historyChunk >= events.length;
      // The rest is read again later: the store is cheaper than holding it for a slow socket.
      if (start > 0 && subscriber.socket.bufferedAmount >= highWaterMark) return;
      this.sendCatchUp(subscriber, true, isLast ? through : part[part.length - 1]!.seq, last, part);
    }
    if (events.length === 0) this.sendCatchUp(subscriber, true, through, last, events);
  }

  /** One catch-up frame, covering every event after `sentSeq` through `through`. */
  private sendCatchUp(
    subscriber: Subscriber,
    exact: boolean,
    through: number,
    last: number,
    events: readonly StoredEvent[],
  ): void {
    const phase = subscriber.historyDone ? 'resync' : 'history';
    const complete = phase === 'history' && through >= last;
    subscriber.sentSeq = through;
    this.write(
      subscriber.socket,
      eventsFrame(
        subscriber.runId,
        phase,
        exact,
        complete,
        events.map((event) => event.text),
      ),
    );
    if (complete) subscriber.historyDone = true;
  }

  private write(socket: WebSocket, frame: string | Buffer): void {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(frame, { binary: false });
    this.stats.framesSent++;
    // A string's length is a lower bound of its UTF-8 size; event JSON is almost all ASCII.
    if (frame.length > this.stats.maxFrameBytes) this.stats.maxFrameBytes = frame.length;
    const buffered = socket.bufferedAmount;
    if (buffered > this.stats.maxBufferedAmount) this.stats.maxBufferedAmount = buffered;
    if (buffered > this.options.maxBuffered) {
      // Every frame but replies is held back at the high-water mark; a client that keeps asking
      // and never reads is cut, so that it cannot grow the server's memory without bound.
      this.stats.cutConnections++;
      socket.terminate();
    }
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
}
