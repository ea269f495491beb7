import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunCommand } from '@downhill/core';
import {
  asTrainEvent,
  type ErrorCode,
  REDIS_PREFIX,
  type RedisRunKeys,
  redactPassword,
  redisActiveKey,
  redisEntryId,
  redisRunKeys,
  redisRunsKey,
  type WireCommand,
  wireEventSchema,
} from '@downhill/protocol';
import { Redis, type RedisOptions } from 'ioredis';
import type { LinkEndpoint, PendingEvent } from './live-run.js';
import { defineLeaseScripts, type ScriptedRedis } from './redis-lease.js';
import { field, type StreamEntry, seqOf } from './redis-stream-entry.js';
import type { RunHub } from './run-hub.js';

/** Options of `RedisRunLink.start`. */
export interface RedisRunLinkOptions {
  /** `redis://[user:password@]host:port[/db]`; or give `redis`. */
  readonly url?: string;
  /** ioredis options (a Unix socket `path`, TLS ...), merged over what `url` says. */
  readonly redis?: RedisOptions;
  /** Prefix of every key. Default `downhill:` (trainers must use the same). */
  readonly prefix?: string;
  /** Consumer group of the servers. Default `downhill`. */
  readonly group?: string;
  /** This server's name in the group. Default `host:pid:random`. */
  readonly consumer?: string;
  /**
   * A server owns each run it reads through a lease it renews at a third of this; when it dies,
   * another server takes the run over (and its pending entries) once the lease lapses. Default 5000 ms.
   */
  readonly leaseMs?: number;
  readonly log: (message: string) => void;
}

/** Events of one run handed to the hub and not yet committed, past which the link stops reading the run. */
const MAX_UNACKED = 50_000;
/** Entries per read and per claim. */
const READ_COUNT = 1000;
/** How long a read blocks: new runs taken over by the tick wait at most this for their first read. */
const BLOCK_MS = 250;
/** How long a run's keys stay after its `end` is stored (a late trainer still finds its acknowledgement). */
const ENDED_TTL_S = 7 * 24 * 3600;

/**
 * `claim`: to be claimed from the hub and its pending entries replayed (in the read loop);
 * `reading`: read with the group; `waiting`: refused for now, claimed again at `retryAt`.
 */
type RunState = 'claim' | 'reading' | 'waiting';

interface RedisRun {
  readonly runId: string;
  readonly keys: RedisRunKeys;
  readonly endpoint: LinkEndpoint;
  state: RunState;
  retryAt: number;
  retryDelay: number;
  /** `seq`s handed to the hub (entries pending in the group under this server), not yet XACKed. */
  delivered: number[];
  /** Highest `seq` the hub committed. */
  committed: number;
  /** Highest committed `seq` written to the run's acks stream. */
  published: number;
  publishing: boolean;
  /** `seq` of the run's `end` event once read. */
  endSeq: number | undefined;
}

/**
 * The server side of the run link through Redis Streams (the trainer side is `redisTransport` of
 * `@downhill/client/node`). Runs are discovered from the announcements trainers add to
 * `downhill:runs` (read with the servers' consumer group) and from the set of active runs (a run
 * whose server died). A server owns a run through a lease, claims it from the hub like any other
 * publisher, and reads its stream with the group (`XREADGROUP`): events are handed to the hub,
 * which stores them and shows them live; only once the store has committed them are they
 * `XACK`ed, trimmed (`XTRIM MINID`) and acknowledged to the trainer through the run's `acks`
 * stream. A server that takes a run over first claims the group's pending entries (`XAUTOCLAIM`)
 * and replays them in order; the hub drops what its store already has. Commands for the run go
 * to its `commands` stream.
 */
export class RedisRunLink {
  private readonly runs = new Map<string, RedisRun>();
  private readonly byEventsKey = new Map<string, RedisRun>();
  private readonly prefix: string;
  private readonly group: string;
  private readonly consumer: string;
  private readonly leaseMs: number;
  private readonly runsKey: string;
  private readonly activeKey: string;
  private stopping = false;
  private loopDone: Promise<void> = Promise.resolve();
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private outage: string | undefined;
  private ticking = false;

  private constructor(
    private readonly hub: RunHub,
    private readonly redis: ScriptedRedis,
    private readonly blocking: Redis,
    private readonly options: RedisRunLinkOptions,
  ) {
    this.prefix = options.prefix ?? REDIS_PREFIX;
    this.group = options.group ?? 'downhill';
    this.consumer = options.consumer ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? 5000;
    this.runsKey = redisRunsKey(this.prefix);
    this.activeKey = redisActiveKey(this.prefix);
  }

  /** Connects (waiting for Redis at most `connectTimeoutMs`, default 10 s) and starts taking runs. */
  static async start(hub: RunHub, options: RedisRunLinkOptions): Promise<RedisRunLink> {
    const base: RedisOptions = {
      ...options.redis,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    };
    const open = (): Redis => (options.url === undefined ? new Redis(base) : new Redis(options.url, base));
    const redis = defineLeaseScripts(open());
    const blocking = open();
    blocking.on('error', () => {});
    let lastError = '';
    redis.on('error', (err: Error) => {
      lastError = err.message;
    });
    const link = new RedisRunLink(hub, redis, blocking, options);
    try {
      await link.ensureGroup(link.runsKey, '$');
    } catch (err) {
      redis.disconnect();
      blocking.disconnect();
      throw new Error(
        `the server could not use Redis at ${options.url === undefined ? 'the given address' : redactPassword(options.url)}: ${lastError || (err as Error).message}`,
      );
    }
    link.loopDone = link.loop();
    link.tickTimer = setInterval(() => void link.tick(), Math.max(20, link.leaseMs / 3));
    link.tickTimer.unref?.();
    void link.tick();
    return link;
  }

  /** Runs this server reads now. */
  get ownedRuns(): string[] {
    return [...this.runs.keys()];
  }

  /** Stops reading (before the hub's last commit, whose acknowledgements `close` still writes). */
  async stopReading(): Promise<void> {
    this.stopping = true;
    clearInterval(this.tickTimer);
    await this.loopDone;
  }

  /** Writes the last acknowledgements, lets every run go (another server takes them at once) and disconnects. */
  async close(): Promise<void> {
    await this.stopReading();
    for (const run of this.runs.values()) await this.publishAcks(run).catch(() => {});
    await Promise.all(
      [...this.runs.values()].map((run) =>
        this.redis
          .downhillRelease(run.keys.owner, this.activeKey, this.consumer, run.runId, '0')
          .catch(() => 0),
      ),
    );
    this.runs.clear();
    this.byEventsKey.clear();
    this.blocking.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  // ---- reading ------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        const now = Date.now();
        for (const run of [...this.runs.values()]) {
          if (run.state === 'waiting' && now >= run.retryAt) run.state = 'claim';
          if (run.state === 'claim' && !this.stopping) await this.claimRun(run);
        }
        if (!this.stopping) await this.readOnce();
      } catch (err) {
        // A bug here must not stop every Redis run for good: say it, and go on reading.
        this.options.log(`downhill server: the Redis run link failed: ${(err as Error).stack ?? err}`);
        await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
      }
    }
  }

  private async readOnce(): Promise<void> {
    const keys = [this.runsKey];
    for (const run of this.runs.values())
      if (run.state === 'reading' && run.delivered.length < MAX_UNACKED) keys.push(run.keys.events);
    try {
      const reply = (await this.blocking.xreadgroup(
        'GROUP',
        this.group,
        this.consumer,
        'COUNT',
        READ_COUNT,
        'BLOCK',
        BLOCK_MS,
        'STREAMS',
        ...keys,
        ...keys.map(() => '>'),
      )) as [string, StreamEntry[]][] | null;
      this.redisUp();
      if (!reply) return;
      for (const [key, entries] of reply) {
        if (key === this.runsKey) await this.announced(entries);
        else {
          const run = this.byEventsKey.get(key);
          // A run let go while the read was under way: its entries wait in the group for its next owner.
          if (run) this.feed(run, entries);
        }
      }
    } catch (err) {
      const message = (err as Error).message;
      if (message.includes('NOGROUP')) {
        // Redis lost its data (restarted without AOF) or a stream expired: the groups come back.
        await Promise.all(keys.map((key) => this.ensureGroup(key, key === this.runsKey ? '$' : '0'))).catch(
          () => {},
        );
        return;
      }
      if (this.stopping) return;
      this.redisDown(message);
      await new Promise((resolve) => setTimeout(resolve, BLOCK_MS));
    }
  }

  private async announced(entries: readonly StreamEntry[]): Promise<void> {
    const ids = entries.map(([id]) => id);
    if (ids.length > 0) this.redis.xack(this.runsKey, this.group, ...ids).catch(() => {});
    for (const [, fields] of entries) {
      const runId = fields ? field(fields, 'run') : undefined;
      if (runId !== undefined) await this.take(runId);
    }
  }

  /** Tries to own the run; on success it is claimed in the read loop. */
  private async take(runId: string): Promise<void> {
    if (this.runs.has(runId) || this.stopping) return;
    const keys = redisRunKeys(this.prefix, runId);
    const taken = await this.redis.downhillTake(keys.owner, this.consumer, this.leaseMs).catch(() => 0);
    if (taken !== 1 || this.runs.has(runId) || this.stopping) return;
    const run: RedisRun = {
      runId,
      keys,
      endpoint: this.endpointFor(runId),
      state: 'claim',
      retryAt: 0,
      retryDelay: 250,
      delivered: [],
      committed: -1,
      published: -2,
      publishing: false,
      endSeq: undefined,
    };
    this.runs.set(runId, run);
    this.byEventsKey.set(keys.events, run);
  }

  /** Claims the run from the hub, then replays the group's pending entries of the run (a dead owner's, or ours after a refusal) in order. */
  private async claimRun(run: RedisRun): Promise<void> {
    try {
      await this.ensureGroup(run.keys.events, '0');
      let meta: Record<string, unknown> = {};
      try {
        const parsed = JSON.parse((await this.redis.get(run.keys.meta)) ?? '{}') as unknown;
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
          meta = parsed as Record<string, unknown>;
      } catch {
        // Unreadable meta only costs the run its name.
      }
      if (!this.runs.has(run.runId)) return;
      run.delivered = [];
      this.hub.claim(run.runId, run.endpoint, meta);
      let cursor = '0-0';
      while ((run.state as RunState) === 'reading') {
        const [next, entries] = (await this.redis.xautoclaim(
          run.keys.events,
          this.group,
          this.consumer,
          0,
          cursor,
          'COUNT',
          READ_COUNT,
        )) as [string, StreamEntry[], string[]?];
        this.feed(run, entries);
        cursor = next;
        if (cursor === '0-0') break;
      }
    } catch (err) {
      this.redisDown((err as Error).message);
      this.retryLater(run);
    }
  }

  /** Hands a run's entries (in `seq` order) to the hub, if the hub is taking its events now. */
  private feed(run: RedisRun, entries: readonly StreamEntry[]): void {
    const events: PendingEvent[] = [];
    for (const [id, fields] of entries) {
      if (!fields) continue; // trimmed: committed already
      const seq = seqOf(id);
      if (run.delivered.length === 0 || run.delivered[run.delivered.length - 1]! < seq)
        run.delivered.push(seq);
      const text = field(fields, 'e');
      let problem: string | undefined;
      try {
        const event = asTrainEvent(wireEventSchema.parse(JSON.parse(text ?? '')));
        if (event.runId !== run.runId) problem = `it has runId ${JSON.stringify(event.runId)}`;
        else if (event.seq !== seq) problem = `its seq is ${event.seq}, its entry ID ${id}`;
        else {
          events.push({ event, text: text! });
          if (event.type === 'end') run.endSeq = seq;
        }
      } catch (err) {
        problem = (err as Error).message.slice(0, 500);
      }
      if (problem !== undefined) {
        if (events.length > 0 && run.state === 'reading') this.hub.receive(run.runId, run.endpoint, events);
        this.invalid(run, seq, problem);
        return;
      }
    }
    // Not reading now: the entries stay pending under this server and are replayed at the next claim.
    if (events.length > 0 && run.state === 'reading') this.hub.receive(run.runId, run.endpoint, events);
  }

  // ---- what the hub says --------------------------------------------------------------------

  private endpointFor(runId: string): LinkEndpoint {
    const runOf = (): RedisRun | undefined => this.runs.get(runId);
    return {
      origin: 'remote',
      attached: (_runId, nextSeq) => {
        const run = runOf();
        if (!run) return;
        run.state = 'reading';
        run.retryDelay = 250;
        this.committed(run, nextSeq - 1);
      },
      acked: (_runId, seq) => {
        const run = runOf();
        if (run) this.committed(run, seq);
      },
      command: (_runId, command) => this.sendCommand(runId, command),
      refused: (_runId, code, message) => {
        const run = runOf();
        if (run) this.refused(run, code, message);
      },
    };
  }

  private committed(run: RedisRun, seq: number): void {
    if (seq <= run.committed && run.published >= run.committed) return;
    run.committed = Math.max(run.committed, seq);
    if (!run.publishing) void this.publishAcks(run).catch(() => {});
  }

  /** XACKs and trims what the store has, then tells the trainer; again while more was committed meanwhile. */
  private async publishAcks(run: RedisRun): Promise<void> {
    if (run.publishing) return;
    run.publishing = true;
    try {
      while (run.published < run.committed) {
        const seq = run.committed;
        const done = run.delivered.filter((delivered) => delivered <= seq);
        const batch = this.redis.multi();
        if (done.length > 0) batch.xack(run.keys.events, this.group, ...done.map(redisEntryId));
        if (seq >= 0) batch.xtrim(run.keys.events, 'MINID', redisEntryId(seq + 1));
        batch.xadd(run.keys.acks, 'MAXLEN', '~', '100', '*', 'seq', String(seq));
        await batch.exec();
        run.delivered = run.delivered.filter((delivered) => delivered > seq);
        run.published = seq;
      }
    } finally {
      run.publishing = false;
    }
    if (run.endSeq !== undefined && run.published >= run.endSeq) await this.finish(run);
  }

  /** The run's `end` is stored and acknowledged: it leaves the active set, and its keys expire later. */
  private async finish(run: RedisRun): Promise<void> {
    if (this.runs.get(run.runId) !== run) return;
    this.forget(run);
    this.hub.release(run.endpoint);
    const { keys } = run;
    const batch = this.redis.multi();
    for (const key of [keys.events, keys.acks, keys.commands, keys.meta]) batch.expire(key, ENDED_TTL_S);
    batch.del(keys.trainer);
    await batch.exec().catch(() => {});
    await this.redis
      .downhillRelease(keys.owner, this.activeKey, this.consumer, run.runId, '1')
      .catch(() => 0);
  }

  private refused(run: RedisRun, code: ErrorCode, message: string): void {
    if (code === 'busy' || code === 'store-failed' || code === 'not-publisher') {
      // The events stay in Redis, pending under this server: they are replayed when the hub takes the run again.
      this.retryLater(run);
      return;
    }
    // The trainer must hear it (the run ended, is someone else's, sent an event that cannot be stored).
    this.forget(run);
    this.hub.release(run.endpoint);
    const { keys } = run;
    void this.redis
      .xadd(
        keys.acks,
        'MAXLEN',
        '~',
        '100',
        '*',
        'seq',
        String(run.committed),
        'code',
        code,
        'message',
        message,
      )
      .then(() =>
        this.redis.downhillRelease(
          keys.owner,
          this.activeKey,
          this.consumer,
          run.runId,
          code === 'conflict' ? '0' : '1',
        ),
      )
      .catch((err: Error) =>
        this.options.log(
          `downhill server: could not tell run ${run.runId}'s trainer through Redis that ${message}: ${err.message}`,
        ),
      );
  }

  private invalid(run: RedisRun, seq: number, problem: string): void {
    const message = `event seq ${seq} of run ${run.runId} in Redis cannot be stored: ${problem}`;
    this.options.log(`downhill server: ${message}`);
    this.refused(run, 'invalid-message', message);
  }

  private retryLater(run: RedisRun): void {
    if (this.runs.get(run.runId) !== run) return;
    run.state = 'waiting';
    run.retryAt = Date.now() + run.retryDelay;
    run.retryDelay = Math.min(5000, run.retryDelay * 2);
  }

  private sendCommand(runId: string, command: RunCommand): void {
    const wire: WireCommand =
      command.type === 'stop' && command.params !== undefined
        ? { ...command, params: Array.from(command.params) }
        : (command as WireCommand);
    const keys = redisRunKeys(this.prefix, runId);
    this.redis
      .xadd(keys.commands, 'MAXLEN', '~', '1000', '*', 'c', JSON.stringify(wire))
      .catch((err: Error) =>
        this.options.log(
          `downhill server: the ${command.type} command for run ${runId} was lost: Redis: ${err.message}`,
        ),
      );
  }

  // ---- ownership ----------------------------------------------------------------------------

  /** Renews leases, retries acknowledgements, lets go of runs whose trainer is gone, takes over runs nobody owns. */
  private async tick(): Promise<void> {
    // A slow Redis may make a tick outlast the interval: one at a time.
    if (this.stopping || this.ticking) return;
    this.ticking = true;
    try {
      const runs = [...this.runs.values()];
      // Every lease in one round trip. Renewing is taking again: a lease that lapsed while this
      // server stalled (a starved thread) and that nobody took meanwhile stays this server's.
      const renewed = await Promise.all(
        runs.map((run) => this.redis.downhillTake(run.keys.owner, this.consumer, this.leaseMs)),
      );
      const idle: RedisRun[] = [];
      for (const [index, run] of runs.entries()) {
        if (this.runs.get(run.runId) !== run) continue;
        if (renewed[index] !== 1) {
          // Another server took it (this one stalled past its lease): it replays what is pending.
          this.options.log(`downhill server: run ${run.runId} is now read by another server`);
          this.forget(run);
          this.hub.release(run.endpoint);
        } else if (run.published < run.committed) void this.publishAcks(run).catch(() => {});
        else if (run.state === 'reading' && run.delivered.length === 0) idle.push(run);
      }
      const gone = await Promise.all(
        idle.map(({ keys, runId }) =>
          this.redis.downhillReleaseIfGone(
            keys.owner,
            keys.trainer,
            keys.events,
            this.activeKey,
            this.consumer,
            runId,
          ),
        ),
      );
      for (const [index, run] of idle.entries()) {
        if (gone[index] === 1 && this.runs.get(run.runId) === run) {
          // Its trainer stopped renewing its key (it died, or lost Redis) and everything it sent
          // is stored: the run is `interrupted` until the trainer claims it again.
          this.forget(run);
          this.hub.release(run.endpoint);
        }
      }
      for (const runId of await this.redis.smembers(this.activeKey)) {
        if (this.runs.has(runId)) continue;
        if ((await this.redis.exists(redisRunKeys(this.prefix, runId).owner)) === 0) await this.take(runId);
      }
      this.redisUp();
    } catch (err) {
      this.redisDown((err as Error).message);
    } finally {
      this.ticking = false;
    }
  }

  private forget(run: RedisRun): void {
    if (this.runs.get(run.runId) === run) this.runs.delete(run.runId);
    if (this.byEventsKey.get(run.keys.events) === run) this.byEventsKey.delete(run.keys.events);
  }

  private async ensureGroup(key: string, from: '$' | '0'): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', key, this.group, from, 'MKSTREAM');
    } catch (err) {
      if (!(err as Error).message.includes('BUSYGROUP')) throw err;
    }
  }

  private redisDown(why: string): void {
    if (this.outage !== undefined || this.stopping) return;
    this.outage = why;
    this.options.log(
      `downhill server: Redis is unreachable (${why}); runs published through it wait there and in their trainers`,
    );
  }

  private redisUp(): void {
    if (this.outage === undefined) return;
    this.outage = undefined;
    this.options.log('downhill server: Redis is back');
  }
}
