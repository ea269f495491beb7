import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishRun } from '@downhill/client';
import type { TrainEvent } from '@downhill/core';
import fc from 'fast-check';
import pg from 'pg';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRunStore } from './memory-run-store.js';
import { PostgresRunStore } from './postgres-run-store.js';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import type { RunStore } from './run-store.js';
import { startServer } from './start-server.js';
import { startServerThread } from './start-server-thread.js';
import { newSummary } from './summarize-event.js';
import { rowOf, runEvents, stepEvent } from './test-events.js';
import { startTestPostgres, type TestPostgres } from './test-postgres.js';

let postgres: TestPostgres;
let store: PostgresRunStore;
beforeAll(async () => {
  postgres = await startTestPostgres();
  store = await PostgresRunStore.open(postgres.connectionString);
});
afterAll(async () => {
  await store?.close();
  await postgres?.stop();
});

/** A fresh run id for each property case: they all share one database. */
let runs = 0;
const freshId = (name: string) => `${name}-${runs++}`;

async function fill(target: RunStore, runId: string, losses: readonly number[]): Promise<TrainEvent[]> {
  const events = runEvents(runId, losses);
  await target.commit([
    { summary: newSummary(runId, 'local', {}, 0), rows: events.map((event) => rowOf(event)) },
  ]);
  return events;
}

const seqs = (events: { seq: number }[]) => events.map((event) => event.seq);

describe('PostgresRunStore (against a real Postgres 15)', () => {
  it('keeps two runs apart and reads ranges by seq', async () => {
    await fill(store, 'a', [3, 2, 1]);
    await fill(store, 'b', [9, 8]);
    expect(seqs(await store.readEvents('a', { fromSeq: 0 }))).toEqual([0, 1, 2, 3]);
    expect(seqs(await store.readEvents('b', { fromSeq: 1, toSeq: 1 }))).toEqual([1]);
    expect(seqs(await store.readEvents('a', { fromSeq: 1, limit: 2 }))).toEqual([1, 2]);
    expect(seqs(await store.readEvents('a', { fromSeq: 0, nonStepOnly: true }))).toEqual([1]);
    expect(seqs(await store.readEventsAt('a', [0, 2, 7]))).toEqual([0, 2]);
    expect(await store.readEvents('nope', { fromSeq: 0 })).toEqual([]);
    expect(await store.readEventsAt('nope', [0])).toEqual([]);
    const index = await store.readStepIndex('a', 0, 10);
    expect([...index.seqs]).toEqual([0, 2, 3]);
    expect([...index.losses]).toEqual([3, 2, 1]);
    expect(await store.getRun('b')).toEqual(newSummary('b', 'local', {}, 0));
  });

  it('gives back every JSON text as it was stored, escapes and characters beyond the BMP included', async () => {
    const odd = ['ü 😀 \u0000 "q" \\ \ud800 \n', '\u2028\u2029\t', 'naïve — ∑', ''];
    const rows = odd.map((s, seq) => ({ seq, type: 'note', loss: null, text: JSON.stringify({ s, seq }) }));
    await store.commit([{ summary: newSummary('texts', 'local', {}, 0), rows }]);
    expect((await store.readEvents('texts', { fromSeq: 0 })).map((event) => event.text)).toEqual(
      rows.map((row) => row.text),
    );
  });

  it('stores every event of a batch of any length once, in order, gaps and resent prefixes included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.nat(40),
        fc.nat(3),
        async (batchLengths, overlap, gap) => {
          const runId = freshId('resent');
          const summary = newSummary(runId, 'local', {}, 0);
          const expected: string[] = [];
          let next = 0;
          for (const length of batchLengths) {
            // A resent prefix (after a publisher reconnects) is ignored: the first copy stays.
            const from = Math.max(0, next - overlap);
            const events = Array.from({ length: next - from + length }, (_, i) =>
              stepEvent(runId, (from + i) * (gap + 1), from + i === next ? Number.NaN : (from + i) / 7),
            );
            // Each batch's texts are marked, to tell which copy of a resent event was kept.
            const rows = events.map((event) => rowOf(event, JSON.stringify({ ...event, batch: next })));
            await store.commit([{ summary, rows }]);
            expected.push(...rows.slice(next - from).map((row) => row.text));
            next += length;
          }
          const stored = await store.readEvents(runId, { fromSeq: 0 });
          expect(stored.map((event) => event.text)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers every read as the in-memory store does, an independent implementation', async () => {
    await fc.assert(
      fc.asyncProperty(
        // -0 included: a double precision column keeps its sign.
        fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constant(Number.NaN)), {
          minLength: 1,
          maxLength: 500,
        }),
        fc.nat(50),
        fc.nat(600),
        async (losses, fromSeq, toSeq) => {
          const runId = freshId('oracle');
          const memory = new MemoryRunStore();
          await fill(store, runId, losses);
          await fill(memory, runId, losses);
          for (const range of [
            { fromSeq, limit: 7 },
            { fromSeq, toSeq },
            { fromSeq, nonStepOnly: true },
            { fromSeq: toSeq, toSeq: fromSeq },
            { fromSeq, toSeq, limit: 0 },
          ]) {
            expect(await store.readEvents(runId, range)).toEqual(await memory.readEvents(runId, range));
          }
          expect(await store.readStepIndex(runId, fromSeq, toSeq)).toEqual(
            await memory.readStepIndex(runId, fromSeq, toSeq),
          );
          const at = [fromSeq, fromSeq + 3, toSeq];
          expect(await store.readEventsAt(runId, at)).toEqual(await memory.readEventsAt(runId, at));
          expect(await store.getRun(runId)).toEqual(await memory.getRun(runId));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a seq past 2^53 - 1, naming the run and the row, and stores nothing of that commit', async () => {
    const summary = (runId: string) => newSummary(runId, 'local', {}, 0);
    const good = Array.from({ length: 5 }, (_, i) => rowOf(stepEvent('bad-1', i, 1)));
    const bad = Array.from({ length: 40 }, (_, i) => rowOf(stepEvent('bad-2', i === 35 ? 2 ** 53 : i, 1)));
    await expect(
      store.commit([
        { summary: summary('bad-1'), rows: good },
        { summary: summary('bad-2'), rows: bad },
      ]),
    ).rejects.toThrow(/run bad-2: event 35 of the commit has seq 9007199254740992/);
    expect(await store.getRun('bad-1')).toBeUndefined();
    expect(await store.getRun('bad-2')).toBeUndefined();
  });

  it('rolls back a whole commit that Postgres refuses part way, and names the server', async () => {
    await fill(store, 'kept', [1, 2]);
    const before = await store.readEvents('kept', { fromSeq: 0 });
    const more = Array.from({ length: 3 }, (_, i) => rowOf(stepEvent('kept', 4 + i, 5)));
    // Postgres's text refuses the NUL character: the second run's statement fails on the server.
    const refused = [{ seq: 0, type: 'st\u0000ep', loss: null, text: '{}' }];
    const failure = store.commit([
      { summary: { ...newSummary('kept', 'local', {}, 0), lastSeq: 6 }, rows: more },
      { summary: newSummary('nul', 'local', {}, 0), rows: refused },
    ]);
    await expect(failure).rejects.toThrow(
      /^run store postgresql:\/\/postgres@\[socket .*\]:5432\/postgres: /,
    );
    await expect(failure).rejects.toMatchObject({ code: expect.stringMatching(/^22/) });
    expect(await store.readEvents('kept', { fromSeq: 0 })).toEqual(before);
    expect((await store.getRun('kept'))?.lastSeq).toBe(-1);
    expect(await store.getRun('nul')).toBeUndefined();
    // The connection that failed is usable again (or replaced): the next commit goes through.
    await store.commit([{ summary: newSummary('kept', 'local', {}, 0), rows: more }]);
    expect(seqs(await store.readEvents('kept', { fromSeq: 4 }))).toEqual([4, 5, 6]);
  });

  it('marks runs that were live as interrupted, and deletes a run with its events', async () => {
    const config = await postgres.createDatabase('marks');
    const own = await PostgresRunStore.open(config);
    try {
      await own.saveRun(newSummary('live', 'local', {}, 1));
      await own.saveRun({ ...newSummary('paused', 'local', {}, 3), status: 'paused' });
      await own.saveRun({ ...newSummary('done', 'local', {}, 2), status: 'ended', endReason: 'completed' });
      await fill(own, 'gone', [1, 2]);
      expect(await own.markLiveRunsInterrupted()).toBe(3);
      expect(await own.getRun('live')).toEqual({
        ...newSummary('live', 'local', {}, 1),
        status: 'interrupted',
      });
      expect((await own.getRun('paused'))?.status).toBe('interrupted');
      expect((await own.getRun('done'))?.status).toBe('ended');
      expect(await own.markLiveRunsInterrupted()).toBe(0);
      expect(await own.deleteRun('gone')).toBe(true);
      expect(await own.deleteRun('gone')).toBe(false);
      expect(await own.readEvents('gone', { fromSeq: 0 })).toEqual([]);
      const client = new pg.Client(config);
      await client.connect();
      const { rows } = await client.query('SELECT count(*)::int AS n FROM downhill_events');
      await client.end();
      expect(rows[0].n).toBe(0);
      // A deleted run's id starts afresh, without its old events.
      await own.saveRun(newSummary('gone', 'local', {}, 0));
      expect(await own.readEvents('gone', { fromSeq: 0 })).toEqual([]);
      expect((await own.listRuns()).map((run) => run.runId)).toEqual(['paused', 'done', 'live', 'gone']);
    } finally {
      await own.close();
    }
  });

  it('lists runs newest first as the in-memory store does, ties in the order first saved', async () => {
    const config = await postgres.createDatabase('listing');
    const own = await PostgresRunStore.open(config);
    const memory = new MemoryRunStore();
    try {
      const startedAt = [5, 1, 5, 9, 1, 5];
      for (const target of [own, memory]) {
        for (const [i, at] of startedAt.entries()) await target.saveRun(newSummary(`r${i}`, 'local', {}, at));
        // Saving again keeps the first start time's place.
        await target.saveRun({ ...newSummary('r0', 'local', {}, 5), step: 3 });
      }
      expect(await own.listRuns()).toEqual(await memory.listRuns());
    } finally {
      await own.close();
    }
  });

  it('keeps every committed event through a crash of Postgres (immediate stop, no checkpoint)', async () => {
    const runId = freshId('durable');
    const events = await fill(store, runId, [4, 3, 2, 1]);
    await store.close();
    await postgres.crashAndRestart();
    store = await PostgresRunStore.open(postgres.config);
    const stored = await store.readEvents(runId, { fromSeq: 0 });
    expect(stored.map((event) => JSON.parse(event.text))).toEqual(events.map((event) => ({ ...event })));
    expect(await store.getRun(runId)).toEqual(newSummary(runId, 'local', {}, 0));
  });

  it('migrates once when several servers open a fresh database at the same time', async () => {
    const config = await postgres.createDatabase('racing');
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresRunStore.open(config)));
    await Promise.all(stores.map((each) => each.close()));
    const client = new pg.Client(config);
    await client.connect();
    try {
      const { rows } = await client.query('SELECT version FROM downhill_migrations ORDER BY version');
      expect(rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((_, i) => i + 1));
      // A database a newer server has migrated is refused, not written in a shape this one does not know.
      await client.query('INSERT INTO downhill_migrations (version) VALUES ($1)', [
        POSTGRES_MIGRATIONS.length + 1,
      ]);
    } finally {
      await client.end();
    }
    await expect(PostgresRunStore.open(config)).rejects.toThrow(
      /run store postgresql:\/\/postgres@.*\/racing: the database's schema is at version 2, newer than this @downhill\/server knows \(1\)/,
    );
  });

  it('rejects naming the server when it cannot connect', async () => {
    const missing = `${postgres.dir}/nothing-here`;
    await expect(
      PostgresRunStore.open({ host: missing, user: 'postgres', database: 'runs' }),
    ).rejects.toThrow(
      `run store postgresql://postgres@[socket ${missing}]:5432/runs: connect ENOENT ${missing}/.s.PGSQL.5432`,
    );
    await expect(PostgresRunStore.open('postgresql://someone:secret@127.0.0.1:1/runs')).rejects.toThrow(
      /^run store postgresql:\/\/someone@127\.0\.0\.1:1\/runs: connect ECONNREFUSED/,
    );
    // A server that accepts the connection and never answers: the open fails after the timeout.
    mkdirSync(`${postgres.dir}/silent`);
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(`${postgres.dir}/silent/.s.PGSQL.5432`, resolve));
    try {
      await expect(
        PostgresRunStore.open(
          { host: `${postgres.dir}/silent`, user: 'postgres' },
          { connectTimeoutMs: 300 },
        ),
      ).rejects.toThrow(/^run store postgresql:\/\/postgres@\[socket .*\/silent\]:5432\/postgres: .*timeout/);
    } finally {
      silent.close();
    }
    await expect(PostgresRunStore.open({ ...postgres.config, database: 'no_such_db' })).rejects.toMatchObject(
      {
        message: expect.stringMatching(/\/no_such_db: database "no_such_db" does not exist/),
        code: '3D000',
      },
    );
  });
});

describe('servers on a shared Postgres', () => {
  it('store a run published to one of them, and both list it and serve its events', async () => {
    const config = await postgres.createDatabase('shared');
    const token = 'test-token-0123456789';
    const a = await startServer({ port: 0, token, store: await PostgresRunStore.open(config) });
    let b: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const { tinyRun } = await import('../test/tiny-training.js');
      const own = await lastValueFrom(
        publishRun((control) => tinyRun({ steps: 50, runId: 'shared-run' }, control), {
          url: a.url,
          token,
          warn: () => {},
        }).pipe(toArray()),
      );
      expect(own.at(-1)).toMatchObject({ type: 'end', reason: 'completed' });
      b = await startServer({ port: 0, token, store: await PostgresRunStore.open(config) });
      for (const server of [a, b]) {
        const listed = (await (await fetch(`${server.url}/api/runs`)).json()) as {
          runs: { runId: string; status: string; lastSeq: number }[];
        };
        expect(listed.runs).toEqual([
          expect.objectContaining({ runId: 'shared-run', status: 'ended', lastSeq: own.at(-1)!.seq }),
        ]);
        const stored = await server.store.readEvents('shared-run', { fromSeq: 0 });
        expect(stored.map((event) => JSON.parse(event.text))).toEqual(
          own.map((event) => JSON.parse(JSON.stringify(event))),
        );
      }
    } finally {
      await b?.close();
      await a.close();
    }
  });

  it('startServerThread({ postgres }), as `downhill serve --postgres` runs it, stores there; a restarted server serves the run', async () => {
    const config = await postgres.createDatabase('served');
    const url = `postgresql://postgres@/served?host=${encodeURIComponent(String(config.host))}`;
    const token = 'test-token-0123456789';
    const dir = mkdtempSync(join(tmpdir(), 'downhill-pg-serve-'));
    const first = await startServerThread({ port: 0, token, dataDir: dir, postgres: url });
    let own: TrainEvent[];
    try {
      const { tinyRun } = await import('../test/tiny-training.js');
      own = await lastValueFrom(
        publishRun((control) => tinyRun({ steps: 40, runId: 'served-run' }, control), {
          url: first.url,
          token,
          warn: () => {},
        }).pipe(toArray()),
      );
    } finally {
      await first.close();
    }
    // Nothing went to SQLite: the run is in the database, where a new server finds it.
    expect(existsSync(join(dir, 'runs.sqlite'))).toBe(false);
    const again = await startServer({ port: 0, token, dataDir: dir, postgres: url });
    try {
      const listed = (await (await fetch(`${again.url}/api/runs`)).json()) as { runs: { runId: string }[] };
      expect(listed.runs.map((run) => run.runId)).toEqual(['served-run']);
      const stored = await again.store.readEvents('served-run', { fromSeq: 0 });
      expect(stored.map((event) => JSON.parse(event.text))).toEqual(
        own.map((event) => JSON.parse(JSON.stringify(event))),
      );
    } finally {
      await again.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(
      startServer({ port: 0, store: new MemoryRunStore(), postgres: url, token: false }),
    ).rejects.toThrow(/give `store` or `postgres`, not both/);
  });
});
