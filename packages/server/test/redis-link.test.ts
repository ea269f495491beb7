// The run link through Redis Streams, end to end with a real redis-server: a trainer publishes
// with `publishRunToRedis`, a server started with `redis` takes the run, stores it and serves it
// like any other; commands from a WebSocket client reach the trainer through Redis.
import { connect } from '@downhill/client';
import { publishRunToRedis, redisRunKeys, redisTransport } from '@downhill/client/node';
import type { TrainEvent } from '@downhill/core';
import { linkRun } from '@downhill/protocol';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, startServerThread } from '../src/index.js';
import { storedEvents, TOKEN, tempDir, testServer, waitFor } from './harness.js';
import { REDIS_SERVER, TestRedis } from './redis-server.js';
import { tinyRun } from './tiny-training.js';

if (!REDIS_SERVER)
  console.warn('redis-link tests skipped: redis-server is not installed (apt-get install redis-server)');

describe.skipIf(!REDIS_SERVER)('the run link through Redis Streams', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('refuses to start when Redis cannot be reached, naming it without its password', async () => {
    const { dir, remove } = tempDir();
    try {
      await expect(
        startServer({ port: 0, dataDir: dir, token: TOKEN, redis: 'redis://:s3cret@127.0.0.1:1' }),
      ).rejects.toThrow(
        /^the server could not use Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/,
      );
    } finally {
      remove();
    }
  });

  it('stores every event of a run published through Redis once, in order, and leaves the stream trimmed', async () => {
    const server = await testServer({ redis: redis.url });
    const runId = 'redis-basic';
    try {
      const own = await lastValueFrom(
        publishRunToRedis((control) => tinyRun({ steps: 600, runId, name: 'through redis' }, control), {
          url: redis.url,
          meta: { host: 'test' },
        }).pipe(toArray()),
      );
      expect(own.at(-1)!.type).toBe('end');
      // Completion means every event was acknowledged, which the server does only after its commit.
      const stored = await storedEvents(server.store, runId);
      expect(stored.map((event) => event.seq)).toEqual(own.map((event) => event.seq));
      expect(stored).toEqual(own.map((event) => JSON.parse(JSON.stringify(event)) as TrainEvent));
      await waitFor(() => server.runs().find((run) => run.runId === runId)?.status === 'ended');
      const summary = server.runs().find((run) => run.runId === runId)!;
      expect(summary.meta).toMatchObject({ host: 'test' });
      expect(summary.lastSeq).toBe(own.at(-1)!.seq);
      const client = redis.client();
      const keys = redisRunKeys('downhill:', runId);
      // Trimmed once stored, and no longer among the active runs.
      await waitFor(async () => (await client.sismember('downhill:active', runId)) === 0);
      expect(await client.xlen(keys.events)).toBe(0);
      expect(await client.ttl(keys.events)).toBeGreaterThan(0);
      client.disconnect();
    } finally {
      await server.close();
    }
  });

  it('sends commands from a WebSocket client on the server to the trainer through Redis', async () => {
    const server = await testServer({ redis: redis.url });
    const runId = 'redis-commands';
    const client = connect(server.url, { token: TOKEN });
    try {
      const events: TrainEvent[] = [];
      const finished = lastValueFrom(
        publishRunToRedis((control) => tinyRun({ steps: 1_000_000, runId, workMs: 1 }, control), {
          url: redis.url,
        }).pipe(toArray()),
      );
      await waitFor(() => server.runs().some((run) => run.runId === runId && run.status === 'running'));
      await client.control(runId, { type: 'set', name: 'learningRate', value: 0.5 });
      await client.control(runId, { type: 'stop' });
      events.push(...(await finished));
      const end = events.at(-1)!;
      expect(end.type).toBe('end');
      expect(end.type === 'end' && end.reason).toBe('stopped');
      expect(events.some((event) => event.type === 'step' && event.learningRate === 0.5)).toBe(true);
      const stored = await storedEvents(server.store, runId);
      expect(stored.map((event) => event.seq)).toEqual(events.map((event) => event.seq));
    } finally {
      client.close();
      await server.close();
    }
  });
  it("takes over a dead server's run once its lease lapses, replaying the entries it had read and not stored", async () => {
    const runId = 'redis-takeover';
    const keys = redisRunKeys('downhill:', runId);
    const client = redis.client();
    // A server that read the first 100 events and died before its store had them: its lease
    // stands for another second, its entries are pending in the group under its name.
    await client.set(keys.owner, 'dead-server', 'PX', 1000);
    await client.xgroup('CREATE', keys.events, 'downhill', '0', 'MKSTREAM');
    const finished = lastValueFrom(
      publishRunToRedis((control) => tinyRun({ steps: 300, runId, workMs: 1 }, control), {
        url: redis.url,
        finishTimeoutMs: 20_000,
      }).pipe(toArray()),
    );
    await waitFor(async () => (await client.xlen(keys.events)) >= 100);
    const read = (await client.xreadgroup(
      'GROUP',
      'downhill',
      'dead-server',
      'COUNT',
      100,
      'STREAMS',
      keys.events,
      '>',
    )) as [string, unknown[]][];
    expect(read[0]![1]).toHaveLength(100);
    const server = await testServer({ redis: { url: redis.url, leaseMs: 300 } });
    try {
      const own = await finished;
      const stored = await storedEvents(server.store, runId);
      expect(stored.map((event) => event.seq)).toEqual(own.map((event) => event.seq));
      const pending = (await client.xpending(keys.events, 'downhill')) as [number, ...unknown[]];
      expect(pending[0]).toBe(0);
    } finally {
      client.disconnect();
      await server.close();
    }
  });

  it('marks a run interrupted once its trainer stops renewing its key', async () => {
    const server = await testServer({ redis: { url: redis.url, leaseMs: 300 } });
    const runId = 'redis-gone';
    const source = new Subject<TrainEvent>();
    const transport = redisTransport({ url: redis.url, trainerTimeoutMs: 400 });
    linkRun(
      source,
      { transport, target: 'redis', warn: () => {} },
      { next: () => {}, command: () => {}, done: () => {} },
    );
    try {
      source.next({ type: 'warning', runId, seq: 0, time: Date.now(), message: 'first words' });
      await waitFor(() => server.runs().some((run) => run.runId === runId && run.status === 'running'));
      // The trainer vanishes without a word (its process died): no more key renewals.
      transport.close();
      await waitFor(() => server.runs().find((run) => run.runId === runId)?.status === 'interrupted');
    } finally {
      await server.close();
    }
  });
  it('works the same from a server thread (what `downhill serve --redis` starts)', async () => {
    const { dir, remove } = tempDir();
    const server = await startServerThread({ port: 0, dataDir: dir, token: TOKEN, redis: redis.url });
    const runId = 'redis-thread';
    const client = connect(server.url, { token: TOKEN });
    try {
      const own = await lastValueFrom(
        publishRunToRedis((control) => tinyRun({ steps: 200, runId }, control), { url: redis.url }).pipe(
          toArray(),
        ),
      );
      const seen = await lastValueFrom(client.events(runId).pipe(toArray()));
      expect(seen.flatMap((batch) => batch.events).map((event) => event.seq)).toEqual(
        own.map((event) => event.seq),
      );
    } finally {
      client.close();
      await server.close();
      remove();
    }
  });
});
