import type { RunCommand } from '@downhill/core';
import type { ErrorCode, RunSummary } from '@downhill/protocol';
import { type Downsampled, type DownsampleRange, readDownsampled, StepIndexCache } from './downsample.js';
import { type LinkEndpoint, LiveRun, type PendingEvent } from './live-run.js';
import type { EventRow, RunStore, RunWrite } from './run-store.js';
import { newSummary, summarizeEvent } from './summarize-event.js';
import { Viewers } from './viewers.js';

/** Least time between the starts of two commits: see `commitSoon`. */
const MIN_COMMIT_GAP_MS = 25;

/** Tuning of the hub; see `ServerOptions` for what each one means. */
export interface HubOptions {
  readonly token: string | undefined;
  readonly highWaterMark: number;
  readonly maxBuffered: number;
  readonly historyChunk: number;
  readonly maxBacklog: number;
  readonly coalescePoints: number;
  readonly summaryIntervalMs: number;
  readonly heartbeatMs: number;
  readonly serverName: string;
  readonly maxPayload: number;
  readonly log: (message: string) => void;
}

/** Counters for tests and the benchmark. */
export interface HubStats {
  readonly connections: number;
  /** Runs that have not ended (an ended run stays in the live set until its last summary is out). */
  readonly liveRuns: number;
  readonly subscribers: number;
  readonly laggingSubscribers: number;
  /** Largest `bufferedAmount` seen on any socket right after the server wrote to it. */
  readonly maxBufferedAmount: number;
  /** Time spent in `flush` on the serving thread (encoding, writing to sockets), in ms. */
  readonly flushMs: number;
  /** Time commits took in the store (away from the serving thread for SQLite), in ms. */
  readonly commitMs: number;
  readonly commits: number;
  readonly failedCommits: number;
  /** Largest frame written, in bytes. */
  readonly maxFrameBytes: number;
  /** Live batches not written to a subscriber because its buffer was over the high-water mark. */
  readonly skippedFrames: number;
  readonly framesSent: number;
  /** Connections cut because their unread buffer passed `maxBuffered`. */
  readonly cutConnections: number;
}

/** Most events a run may have waiting for the store; past it a publisher is told `busy`. */
const MAX_PENDING = 200_000;

interface CommitItem {
  readonly run: LiveRun;
  readonly events: PendingEvent[];
  readonly last: number;
  readonly skipped: number;
  readonly summaryVersion: number;
}

/**
 * The server side of every run link, and the viewers: live runs, the run list, subscribers.
 *
 * Events arrive from links (`receive`), wait in their run's `pending` list, and every flush
 * (~50 ms) hands all runs' new events to the store in ONE commit. Only when the store has
 * committed them are they broadcast (one frame per batch, encoded once for every subscriber that
 * is up to date and under the high-water mark) and acknowledged to their trainer: this is the
 * one place that decides what "stored" means. A failed commit is logged and refused to the
 * trainers, which keep the events and send them again. Subscribers that fell behind catch up from
 * the store, one read at a time, while their socket drains.
 */
export class RunHub {
  readonly live = new Map<string, LiveRun>();
  readonly viewers: Viewers;
  /** Every run's summary: the stored ones, and the live ones (the same objects the live runs update). */
  private readonly known = new Map<string, RunSummary>();
  private sorted: RunSummary[] | undefined;
  private readonly stepIndex: StepIndexCache;
  private writing: Promise<void> | undefined;
  private lastFailureLog = 0;
  private suppressedFailures = 0;
  private stats = { flushMs: 0, commitMs: 0, commits: 0, failedCommits: 0 };
  private commitTimer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
  private lastCommitStart = Number.NEGATIVE_INFINITY;
  /** Set once the hub shuts down: no commit is started by arrivals any more (settle does the last). */
  private stopped = false;

  private constructor(
    readonly store: RunStore,
    readonly options: HubOptions,
  ) {
    this.stepIndex = new StepIndexCache(store);
    this.viewers = new Viewers(options, {
      lastStoredSeq: (runId) => this.live.get(runId)?.storedSeq ?? this.known.get(runId)?.lastSeq ?? -1,
      readEvents: (runId, range) => store.readEvents(runId, range),
      readDownsampled: (runId, range) => this.readDownsampled(runId, range),
    });
  }

  /** Marks the runs a dead process left live as `interrupted`, then loads the run list. */
  static async create(store: RunStore, options: HubOptions): Promise<RunHub> {
    const hub = new RunHub(store, options);
    await store.markLiveRunsInterrupted();
    for (const summary of await store.listRuns()) hub.known.set(summary.runId, summary);
    return hub;
  }

  // ---- links -------------------------------------------------------------------------------

  /** A trainer claims its run (new, or one it resumes after a reconnect or a restart). */
  claim(runId: string, endpoint: LinkEndpoint, meta: Readonly<Record<string, unknown>> = {}): void {
    let run = this.live.get(runId);
    if (run) {
      const holder = run.endpoint;
      if (holder && holder !== endpoint) {
        if (holder.origin === 'local') {
          endpoint.refused(runId, 'conflict', `run ${runId} is being trained inside the server's process`);
          return;
        }
        // A trainer that lost its connection may reconnect before the server notices the old
        // one died: the newer connection (it has the token too) takes the run over.
        holder.refused(runId, 'conflict', `run ${runId} was taken over by a newer connection`);
      }
      run.endpoint = endpoint;
      run.mustReclaim = false;
      if (run.ended && !run.finished) this.revive(run);
      endpoint.attached(runId, run.storedSeq + 1);
      return;
    }
    const known = this.known.get(runId);
    if (known?.status === 'ended') {
      // Its `end` is stored: a trainer that missed the acknowledgement learns it has nothing to send.
      endpoint.attached(runId, known.lastSeq + 1);
      return;
    }
    const summary: RunSummary = known
      ? { ...known, status: 'running', meta: { ...known.meta, ...meta } }
      : newSummary(runId, endpoint.origin, { ...meta }, Date.now());
    run = new LiveRun(summary, endpoint);
    this.live.set(runId, run);
    this.setKnown(summary);
    endpoint.attached(runId, run.storedSeq + 1);
  }

  /** Events of a claimed run, `seq` increasing: a `seq` already received is dropped, gaps are accepted. */
  receive(runId: string, endpoint: LinkEndpoint, events: readonly PendingEvent[]): void {
    const run = this.live.get(runId);
    if (!run || run.endpoint !== endpoint || run.mustReclaim) {
      const known = this.known.get(runId);
      if (!run && known?.status === 'ended') {
        const beyond = events.find((item) => item.event.seq > known.lastSeq);
        if (beyond)
          endpoint.refused(
            runId,
            'run-ended',
            `run ${runId} has ended: event seq ${beyond.event.seq} refused`,
          );
        else endpoint.acked(runId, known.lastSeq);
        return;
      }
      endpoint.refused(runId, 'not-publisher', `claim run ${runId} (send "publish") before its events`);
      return;
    }
    if (run.pending.length + events.length > MAX_PENDING) {
      run.mustReclaim = true;
      endpoint.refused(
        runId,
        'busy',
        `the store is behind: ${run.pending.length} events of run ${runId} wait`,
      );
      return;
    }
    const now = Date.now();
    let accepted = 0;
    for (const item of events) {
      const { event } = item;
      if (event.seq <= run.receivedSeq) continue;
      if (run.finished) {
        endpoint.refused(runId, 'run-ended', `run ${runId} has ended: event seq ${event.seq} refused`);
        break;
      }
      if (summarizeEvent(run.summary, event, now)) this.markSummary(run, true);
      run.summaryDirty = true;
      run.pending.push(item);
      run.receivedSeq = event.seq;
      accepted++;
      if (event.type === 'end') run.ended = run.finished = true;
    }
    // Only resends: acknowledge at once what is already committed.
    if (accepted === 0 && run.pending.length === 0 && !run.writing) endpoint.acked(runId, run.storedSeq);
    if (accepted > 0) this.commitSoon();
  }

  /**
   * Group commit: what arrives while no commit is under way is committed soon, and what arrives
   * during a commit goes in the next one, started when it ends; commits start at most every
   * MIN_COMMIT_GAP_MS, so that a busy link still sends each viewer a bounded number of frames a
   * second. An event waits for the store's commit and at most that gap, not the flush interval.
   */
  private commitSoon(): void {
    if (this.writing || this.commitTimer !== undefined || this.stopped) return;
    const wait = Math.max(0, this.lastCommitStart + MIN_COMMIT_GAP_MS - performance.now());
    const start = (): void => {
      this.commitTimer = undefined;
      if (!this.writing && !this.stopped) this.startCommit();
    };
    this.commitTimer = wait === 0 ? setImmediate(start) : setTimeout(start, wait);
  }

  /** The trainer behind `endpoint` is gone: its runs that did not end are `interrupted` (until it comes back). */
  release(endpoint: LinkEndpoint): void {
    for (const run of this.live.values()) {
      if (run.endpoint !== endpoint) continue;
      run.endpoint = undefined;
      if (!run.ended) {
        run.ended = true;
        run.summary.status = 'interrupted';
        this.markSummary(run, true);
      }
    }
  }

  private revive(run: LiveRun): void {
    run.ended = false;
    run.summary.status = 'running';
    this.markSummary(run, true);
  }

  /** Hands a command to a live run's trainer; returns why not when it cannot. */
  control(runId: string, command: RunCommand): { code: ErrorCode; message: string } | undefined {
    const run = this.live.get(runId);
    if (!run || run.ended || !run.endpoint) {
      const known = this.known.get(runId);
      if (!known) return { code: 'unknown-run', message: `no run with id ${JSON.stringify(runId)}` };
      const status = run?.ended ? 'ended' : known.status;
      return { code: 'run-ended', message: `run ${runId} is ${status}: it takes no commands` };
    }
    run.endpoint.command(runId, command);
    return undefined;
  }

  markSummary(run: LiveRun, urgent: boolean): void {
    run.summaryDirty = true;
    if (urgent) {
      run.summaryUrgent = true;
      run.summaryVersion++;
    }
  }

  // ---- the run list ----------------------------------------------------------------------

  summaryOf(runId: string): RunSummary | undefined {
    return this.known.get(runId);
  }

  /** Every run, newest first, live ones with their latest figures. */
  listRuns(): RunSummary[] {
    this.sorted ??= [...this.known.values()].sort((a, b) => b.startedAt - a.startedAt);
    return this.sorted.slice();
  }

  private setKnown(summary: RunSummary): void {
    if (this.known.get(summary.runId) !== summary) this.sorted = undefined;
    this.known.set(summary.runId, summary);
  }

  /** Deletes a run that is not live, and tells the run-list watchers. Returns why not when it cannot. */
  async deleteRun(runId: string): Promise<{ code: ErrorCode; message: string } | undefined> {
    const live = this.live.get(runId);
    if (live && !live.ended)
      return { code: 'conflict', message: `run ${runId} is live: stop it before deleting it` };
    if (live) {
      // Ended, its last events or summary not yet out: store them first, then it goes.
      await this.settle();
      this.live.delete(runId);
    }
    if (!this.known.has(runId))
      return { code: 'unknown-run', message: `no run with id ${JSON.stringify(runId)}` };
    await this.store.deleteRun(runId);
    this.known.delete(runId);
    this.sorted = undefined;
    this.stepIndex.drop(runId);
    this.viewers.toWatchers(JSON.stringify({ type: 'runDeleted', runId }));
    return undefined;
  }

  /** Renames a run or sets its tags. Returns why not when it cannot. */
  async updateRun(
    runId: string,
    change: { readonly name?: string; readonly tags?: readonly string[] },
  ): Promise<{ code: ErrorCode; message: string } | undefined> {
    const run = this.live.get(runId);
    const summary = run?.summary ?? this.known.get(runId);
    if (!summary) return { code: 'unknown-run', message: `no run with id ${JSON.stringify(runId)}` };
    if (change.name !== undefined) summary.name = change.name;
    if (change.tags !== undefined) summary.tags = [...new Set(change.tags)];
    if (run) this.markSummary(run, true);
    else {
      await this.store.saveRun(summary);
      this.viewers.toWatchers(JSON.stringify({ type: 'run', run: summary }));
    }
    return undefined;
  }

  // ---- flushing --------------------------------------------------------------------------

  /** Starts committing what arrived, sends run-list changes, lets lagging subscribers catch up. */
  flush(now = Date.now()): void {
    const started = performance.now();
    if (!this.writing) this.startCommit();
    this.sendSummaries(now);
    this.retireEnded();
    this.viewers.serveWaiting(() => this.listRuns());
    this.stats.flushMs += performance.now() - started;
  }

  private startCommit(): void {
    const items: CommitItem[] = [];
    const writes: RunWrite[] = [];
    for (const run of this.live.values()) {
      if (run.writing) continue;
      const unsaved = run.summaryVersion > run.savedVersion;
      if (run.pending.length === 0 && !unsaved) continue;
      const events = run.pending;
      run.pending = [];
      let skipped = run.summary.skippedSeqs ?? 0;
      let previous = run.storedSeq;
      const rows: EventRow[] = [];
      for (const pending of events) {
        const { event } = pending;
        try {
          pending.text ??= JSON.stringify(event);
        } catch (err) {
          // Store what came before it; the run's link ends here.
          events.length = rows.length;
          this.unstorable(run, event.seq, err);
          break;
        }
        skipped += event.seq - previous - 1;
        previous = event.seq;
        const loss = event.type === 'step' && Number.isFinite(event.loss) ? event.loss : null;
        rows.push({ seq: event.seq, type: event.type, loss, text: pending.text });
      }
      const summary: RunSummary = {
        ...run.summary,
        lastSeq: previous,
        ...(skipped > 0 ? { skippedSeqs: skipped } : {}),
      };
      run.writing = true;
      items.push({ run, events, last: previous, skipped, summaryVersion: run.summaryVersion });
      writes.push({ summary, rows });
    }
    if (writes.length === 0) {
      this.retireEnded();
      return;
    }
    const started = performance.now();
    this.lastCommitStart = started;
    this.writing = this.store
      .commit(writes)
      .then(
        () => this.committed(items),
        (err: unknown) => this.commitFailed(items, err),
      )
      .finally(() => {
        this.stats.commitMs += performance.now() - started;
        this.writing = undefined;
        for (const run of this.live.values()) {
          if (run.pending.length > 0) {
            this.commitSoon();
            break;
          }
        }
      });
  }

  private committed(items: readonly CommitItem[]): void {
    this.stats.commits++;
    for (const { run, events, last, skipped, summaryVersion } of items) {
      run.writing = false;
      run.savedVersion = Math.max(run.savedVersion, summaryVersion);
      const previous = run.storedSeq;
      run.storedSeq = last;
      run.summary.lastSeq = last;
      if (skipped > 0) run.summary.skippedSeqs = skipped;
      if (events.length === 0) continue;
      this.viewers.broadcastEvents(run.summary.runId, previous, events);
      run.endpoint?.acked(run.summary.runId, last);
    }
    this.retireEnded();
  }

  private commitFailed(items: readonly CommitItem[], err: unknown): void {
    this.stats.failedCommits++;
    const cause = (err as Error)?.message ?? String(err);
    const events = items.reduce((sum, item) => sum + item.events.length, 0);
    const now = Date.now();
    if (now - this.lastFailureLog >= 5000) {
      const more =
        this.suppressedFailures > 0 ? ` (${this.suppressedFailures} more failed since the last message)` : '';
      this.options.log(
        `downhill server: the store could not commit ${events} event(s) of ${items.length} run(s): ${cause}${more}; the trainers keep them and send them again`,
      );
      this.lastFailureLog = now;
      this.suppressedFailures = 0;
    } else this.suppressedFailures++;
    for (const { run } of items) {
      run.writing = false;
      // The trainer keeps every unacknowledged event: drop ours (and any that came after, to keep
      // `seq` order) and let it send them again.
      run.pending = [];
      run.receivedSeq = run.storedSeq;
      if (run.finished) {
        run.finished = false;
        run.ended = run.endpoint === undefined;
        run.summary.status = run.ended ? 'interrupted' : 'running';
      }
      run.mustReclaim = true;
      run.endpoint?.refused(
        run.summary.runId,
        'store-failed',
        `the server's store could not commit the events: ${cause}`,
      );
    }
  }

  /**
   * An event that cannot be stored (it has no JSON form: a BigInt, a cycle, from a trainer in
   * this process): its link ends with an error naming it, the run is `interrupted`, and what was
   * stored before stays.
   */
  private unstorable(run: LiveRun, seq: number, err: unknown): void {
    const runId = run.summary.runId;
    const message = `event seq ${seq} of run ${runId} cannot be stored: ${(err as Error)?.message ?? err}`;
    this.options.log(`downhill server: ${message}`);
    const endpoint = run.endpoint;
    run.endpoint = undefined;
    run.ended = true;
    run.finished = false;
    run.summary.status = 'interrupted';
    this.markSummary(run, true);
    endpoint?.refused(runId, 'invalid-message', message);
  }

  /**
   * Runs that ended, have nothing left to store and whose last summary went out to the run list
   * leave the live set (commits no longer wait for the flush that sends summaries, so a run could
   * otherwise leave before the run list heard that it ended).
   */
  private retireEnded(): void {
    for (const [runId, run] of this.live) {
      if (
        run.ended &&
        !run.writing &&
        !run.summaryDirty &&
        run.pending.length === 0 &&
        run.savedVersion >= run.summaryVersion
      ) {
        this.live.delete(runId);
      }
    }
  }

  /** Commits everything received so far (waiting for a commit under way first). */
  async settle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      await this.writing;
      this.startCommit();
      if (!this.writing) return;
    }
  }

  private sendSummaries(now: number): void {
    for (const run of this.live.values()) {
      if (
        run.summaryDirty &&
        (run.summaryUrgent || now - run.lastSummarySent >= this.options.summaryIntervalMs)
      ) {
        run.summaryDirty = false;
        run.summaryUrgent = false;
        run.lastSummarySent = now;
        this.viewers.toWatchers(JSON.stringify({ type: 'run', run: run.summary }));
      }
    }
  }

  /** A stored range downsampled by the one policy (`downsample.ts`), through this hub's step-index cache. */
  readDownsampled(runId: string, range: DownsampleRange): Promise<Downsampled> {
    return readDownsampled(this.store, this.stepIndex, runId, range);
  }

  /** Live runs become `interrupted` (their trainers claim them again from the next server); what arrived is committed. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const run of this.live.values()) {
      if (!run.ended) {
        run.summary.status = 'interrupted';
        run.ended = true;
        this.markSummary(run, true);
      }
    }
    await this.settle();
    this.flush();
  }

  getStats(): HubStats {
    const { viewers } = this;
    return {
      connections: viewers.connections.size,
      liveRuns: [...this.live.values()].filter((run) => !run.ended).length,
      subscribers: viewers.subscriberCount(),
      laggingSubscribers: viewers.lagging.size,
      ...viewers.stats,
      ...this.stats,
    };
  }
}
