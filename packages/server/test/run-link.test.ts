import { request } from 'node:http';
import { connect, publishRun } from '@downhill/client';
import { sampleSteps, train } from '@downhill/core';
import { MAX_PAYLOAD_BYTES, SUBPROTOCOL } from '@downhill/protocol';
import { filter, firstValueFrom, lastValueFrom, map, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type DownhillServer, MemoryRunStore, type RunWrite, startServer } from '../src/index.js';
import { collectEvents, storedEvents, TOKEN, tempDir, testServer, viaJson, waitFor } from './harness.js';
import { quadratic, sgd, tinyRun } from './tiny-training.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverFor(options: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(options);
  cleanups.push(() => server.close());
  return server;
}

const quiet = { warn: () => {}, initialDelayMs: 20, maxDelayMs: 100 };

describe('the run link from another process (publishRun)', () => {
  it('carries a start event of 600 KB (a model with 30,000 parameters) to the store and to viewers', async () => {
    const server = await serverFor();
    const target = Array.from({ length: 30_000 }, (_, i) => Math.sin(i) * 1e-3 + 1 / 3);
    const run = (control: Parameters<typeof tinyRun>[1]) =>
      train({
        objective: quadratic(target),
        optimizer: sgd(0.1),
        params: target.map((x) => x / 7),
        steps: 5,
        runId: 'wide',
        ...(control ? { control } : {}),
      });
    const own = await lastValueFrom(
      publishRun(run, { url: server.url, token: TOKEN, ...quiet }).pipe(toArray()),
    );
    const startText = JSON.stringify(own[0]);
    expect(startText.length).toBeGreaterThan(2 * MAX_PAYLOAD_BYTES);
    const stored = await storedEvents(server.store, 'wide');
    expect(stored).toEqual(viaJson(own));
    const client = connect(server.url);
    const seen = await collectEvents(client.events('wide'));
    client.close();
    expect(viaJson(seen)).toEqual(viaJson(own));
  });

  it('stores a pipeline that drops events (sampleSteps) with its gaps recorded, and shows it to viewers', async () => {
    const server = await serverFor();
    const own = await lastValueFrom(
      publishRun((control) => tinyRun({ steps: 200, runId: 'sampled' }, control).pipe(sampleSteps(10)), {
        url: server.url,
        token: TOKEN,
        ...quiet,
      }).pipe(toArray()),
    );
    expect(own.length).toBeLessThan(40);
    const stored = await storedEvents(server.store, 'sampled');
    expect(stored.map((event) => event.seq)).toEqual(own.map((event) => event.seq));
    const summary = await server.store.getRun('sampled');
    const last = own.at(-1)!.seq;
    expect(summary).toMatchObject({ status: 'ended', endReason: 'completed', lastSeq: last });
    expect(summary?.skippedSeqs).toBe(last + 1 - own.length);
    const client = connect(server.url);
    const seen = await collectEvents(client.events('sampled', { maxPoints: 100 }));
    client.close();
    expect(seen.map((event) => event.seq)).toEqual(own.map((event) => event.seq));
  });

  it("keeps the token across a restart: an open client's controls work again, and the trainer goes on", async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    let server: DownhillServer = await startServer({ port: 0, dataDir: dir });
    cleanups.push(() => server.close());
    const { port, token } = server;
    expect(token).toBeDefined();
    const trainer = lastValueFrom(
      publishRun((control) => tinyRun({ steps: 100_000_000, workMs: 0.5, runId: 'long' }, control), {
        url: server.url,
        token: token!,
        ...quiet,
      }).pipe(toArray()),
    );
    const tab = connect(server.url, { token: token!, initialDelayMs: 20, maxDelayMs: 100 });
    cleanups.push(() => tab.close());
    await waitFor(() => server.runs().some((run) => run.runId === 'long' && run.step > 5));
    await tab.control('long', { type: 'set', name: 'learningRate', value: 0.02 });
    await server.close();
    server = await startServer({ port, dataDir: dir });
    expect(server.token).toBe(token);
    await waitFor(() => server.runs().some((run) => run.runId === 'long' && run.status === 'running'));
    await firstValueFrom(tab.status$.pipe(filter((status) => status === 'open')));
    await tab.control('long', { type: 'stop' });
    const own = await trainer;
    expect(own.at(-1)).toMatchObject({ type: 'end', reason: 'stopped' });
    await waitFor(async () => (await server.store.getRun('long'))?.status === 'ended');
    const stored = await storedEvents(server.store, 'long');
    expect(stored.map((event) => event.seq)).toEqual(own.map((event) => event.seq));
    expect(own.some((event) => event.type === 'hyperparam' && event.source === 'remote')).toBe(true);
  }, 30_000);
});

/** A store whose commits fail while `failing` is set, as a full disk or a read-only file would. */
class FailingStore extends MemoryRunStore {
  failing = false;
  override commit(writes: readonly RunWrite[]): Promise<void> {
    if (this.failing)
      return Promise.reject(
        Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }),
      );
    return super.commit(writes);
  }
}

describe('a store that cannot commit', () => {
  it('is logged with its cause, refused to the trainer (which keeps its events), and reads go on', async () => {
    const store = new FailingStore();
    const logged: string[] = [];
    const server = await serverFor({ store, log: (message) => logged.push(message) });
    const warnings: string[] = [];
    const trainer = lastValueFrom(
      publishRun((control) => tinyRun({ steps: 1500, workMs: 0.5, runId: 'full' }, control), {
        url: server.url,
        token: TOKEN,
        ...quiet,
        warn: (warning) => warnings.push(warning),
        finishTimeoutMs: 20_000,
      }).pipe(toArray()),
    );
    await waitFor(() => server.runs().some((run) => run.runId === 'full' && run.lastSeq > 10));
    store.failing = true;
    await waitFor(() => logged.length > 0 && warnings.length > 0);
    expect(logged[0]).toMatch(
      /the store could not commit \d+ event\(s\) of 1 run\(s\): SQLITE_FULL: database or disk is full/,
    );
    expect(warnings[0]).toMatch(/store-failed: the server's store could not commit the events: SQLITE_FULL/);
    // Reads are served meanwhile: the run list over HTTP and a subscriber's history.
    const listed = (await (await fetch(`${server.url}/api/runs`)).json()) as { runs: { runId: string }[] };
    expect(listed.runs.map((run) => run.runId)).toContain('full');
    const viewer = connect(server.url);
    const history = await firstValueFrom(viewer.events('full').pipe(filter((batch) => batch.complete)));
    expect(history.events.length).toBeGreaterThan(0);
    viewer.close();
    store.failing = false;
    const own = await trainer;
    await waitFor(async () => (await store.getRun('full'))?.status === 'ended');
    const stored = await storedEvents(store, 'full');
    expect(stored).toEqual(viaJson(own));
  }, 30_000);
});

describe('bounded work per client', () => {
  it('answers a flood of listRuns from a client that does not read with at most what its buffer allows, and others stay served', async () => {
    const server = await serverFor({ highWaterMark: 64 * 1024, maxBuffered: 1024 * 1024 });
    for (let i = 0; i < 40; i++)
      await server.attach((control) =>
        tinyRun({ steps: 2, runId: `r${i}`, name: `run ${i} ${'x'.repeat(100)}` }, control),
      ).done;
    const flooder = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, SUBPROTOCOL);
    await new Promise((resolve) => flooder.once('open', resolve));
    flooder.pause(); // reads nothing from now on
    const rss = process.memoryUsage().rss;
    const frame = JSON.stringify({ type: 'listRuns' });
    for (let i = 0; i < 5000; i++) flooder.send(frame);
    for (let i = 0; i < 200; i++)
      flooder.send(JSON.stringify({ type: 'subscribe', runId: `r${i % 40}`, maxPoints: 100 }));
    const started = Date.now();
    const other = connect(server.url);
    const runs = await firstValueFrom(other.runs().pipe(filter((list) => list.length === 40)));
    expect(runs).toHaveLength(40);
    expect(Date.now() - started).toBeLessThan(5000);
    other.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = server.stats();
    expect(stats.maxBufferedAmount).toBeLessThan(1024 * 1024 + 200 * 1024);
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
    flooder.terminate();
  });

  it('refuses meta nested too deep or too large with an error, and stays up', async () => {
    const server = await serverFor();
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, SUBPROTOCOL);
    const inbox: Record<string, unknown>[] = [];
    socket.on('message', (data) => inbox.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    socket.send(`{"type":"publish","runId":"deep","token":"${TOKEN}","meta":${deep}}`);
    socket.send(
      JSON.stringify({ type: 'publish', runId: 'big', token: TOKEN, meta: { note: 'x'.repeat(20_000) } }),
    );
    socket.send(JSON.stringify({ type: 'ping', id: 7 }));
    await waitFor(() => inbox.some((message) => message.type === 'pong'));
    const errors = inbox.filter((message) => message.type === 'error');
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/meta is nested more than 16 levels deep/),
      expect.stringMatching(/meta is larger than 16384 characters/),
    ]);
    expect(server.runs()).toEqual([]);
    socket.close();
  });
});

describe('the Host allow-list', () => {
  const get = (port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/runs', headers: { host } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('bound beyond loopback, answers only to loopback names, IP literals and the names it was given', async () => {
    const server = await serverFor({ host: '0.0.0.0', allowedHosts: ['trainbox.lan'] });
    const { port } = server;
    expect(await get(port, `127.0.0.1:${port}`)).toBe(200);
    expect(await get(port, `localhost:${port}`)).toBe(200);
    expect(await get(port, `192.168.1.20:${port}`)).toBe(200);
    expect(await get(port, `trainbox.lan:${port}`)).toBe(200);
    expect(await get(port, `evil.example:${port}`)).toBe(403);
    expect(await get(port, `trainbox.lan.evil.example:${port}`)).toBe(403);
    const refused = new WebSocket(`ws://127.0.0.1:${port}/ws`, SUBPROTOCOL, {
      headers: { host: `evil.example:${port}` },
    });
    const status = await new Promise<number>((resolve) =>
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });
});

describe('editing runs', () => {
  it('renames, tags and deletes a run with the token, and tells run-list watchers', async () => {
    const server = await serverFor();
    await server.attach((control) => tinyRun({ steps: 10, runId: 'edit-me' }, control)).done;
    await server.attach((control) => tinyRun({ steps: 10, runId: 'keep-me' }, control)).done;
    const owner = connect(server.url, { token: TOKEN });
    const stranger = connect(server.url);
    cleanups.push(
      () => owner.close(),
      () => stranger.close(),
    );
    const lists: string[][] = [];
    stranger
      .runs()
      .subscribe((runs) =>
        lists.push(runs.map((run) => `${run.runId}:${run.name}:${(run.tags ?? []).join('+')}`)),
      );
    await expect(stranger.deleteRun('edit-me')).rejects.toThrow(/unauthorized/);
    await owner.updateRun('edit-me', { name: 'renamed', tags: ['sweep-1', 'adam'] });
    await waitFor(() => lists.at(-1)?.includes('edit-me:renamed:sweep-1+adam') === true);
    expect((await server.store.getRun('edit-me'))?.name).toBe('renamed');
    await owner.deleteRun('edit-me');
    await waitFor(() => lists.at(-1)?.length === 1);
    expect(lists.at(-1)).toEqual(['keep-me:keep-me:']);
    expect(await server.store.getRun('edit-me')).toBeUndefined();
    expect(await storedEvents(server.store, 'edit-me')).toEqual([]);
    await expect(owner.deleteRun('edit-me')).rejects.toThrow(/unknown-run/);
  });
});

describe('an event that cannot be stored', () => {
  it('ends its run with an error naming it, logged, and the server goes on', async () => {
    const logged: string[] = [];
    const server = await serverFor({ log: (message) => logged.push(message) });
    const attached = server.attach((control) =>
      tinyRun({ steps: 50, runId: 'odd' }, control).pipe(
        map((event) => (event.seq === 5 ? { ...event, extra: 10n } : event)),
      ),
    );
    await attached.done;
    expect(logged.join('\n')).toMatch(/event seq 5 of run odd cannot be stored: .*BigInt/);
    expect((await storedEvents(server.store, 'odd')).map((event) => event.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(server.runs().find((run) => run.runId === 'odd')).toMatchObject({
      status: 'interrupted',
      lastSeq: 4,
    });
    await server.attach((control) => tinyRun({ steps: 5, runId: 'fine' }, control)).done;
    expect(server.runs().find((run) => run.runId === 'fine')).toMatchObject({ status: 'ended' });
  });
});
