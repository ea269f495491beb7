import { publishRun } from '@downhill/client';
import type { TrainEvent } from '@downhill/core';
import { SUBPROTOCOL } from '@downhill/protocol';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type DownhillServer, startServer } from '../src/index.js';
import { expectContiguous, storedEvents, TOKEN, tempDir, waitFor } from './harness.js';
import { tinyRun } from './tiny-training.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('heartbeats', () => {
  it('terminate a connection that stops answering pings', async () => {
    const { dir, remove } = tempDir();
    const server = await startServer({ port: 0, dataDir: dir, token: TOKEN, heartbeatMs: 40 });
    cleanups.push(remove, () => server.close());
    const silent = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, SUBPROTOCOL, { autoPong: false });
    const answering = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, SUBPROTOCOL);
    const closed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
    await new Promise((resolve) => answering.once('open', resolve));
    expect(await closed).toBe(1006);
    expect(answering.readyState).toBe(WebSocket.OPEN);
    answering.close();
  });
});

describe('a remote trainer', () => {
  it('keeps publishing across a server restart: the run ends complete, without gaps or repeats', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    let server: DownhillServer = await startServer({ port: 0, dataDir: dir, token: TOKEN });
    const port = server.port;
    cleanups.push(() => server.close());
    let restarted = false;
    const own = lastValueFrom(
      publishRun((control) => tinyRun({ steps: 1500, workMs: 0.5, runId: 'survivor' }, control), {
        url: server.url,
        token: TOKEN,
        initialDelayMs: 20,
        maxDelayMs: 100,
        // A restarted server takes seconds to come back on a busy machine.
        finishTimeoutMs: 60_000,
      }).pipe(
        tap(async (event: TrainEvent) => {
          if (event.seq === 300 && !restarted) {
            restarted = true;
            await server.close();
            expect((await startStore(dir)).status).toBe('interrupted');
            server = await startServer({ port, dataDir: dir, token: TOKEN });
          }
        }),
        toArray(),
      ),
    );
    const events = await own;
    expect(restarted).toBe(true);
    // The server stores what arrived at its next flush (~50 ms).
    await waitFor(async () => (await server.store.getRun('survivor'))?.status === 'ended');
    const stored = await storedEvents(server.store, 'survivor');
    expectContiguous(stored);
    expect(stored).toHaveLength(events.length);
    expect(stored.at(-1)).toMatchObject({ type: 'end', reason: 'completed' });
  }, 90_000);
});

/** Reads the run's summary straight from the database the server left behind. */
async function startStore(dir: string) {
  const { SqliteRunStore } = await import('../src/index.js');
  const { join } = await import('node:path');
  const store = await SqliteRunStore.open(join(dir, 'runs.sqlite'), { readOnly: true });
  const run = await store.getRun('survivor');
  await store.close();
  return run ?? { status: 'missing' };
}

describe('publishing the same run again', () => {
  it('hands the run to the newer connection and tells the older one', async () => {
    const { dir, remove } = tempDir();
    const server = await startServer({ port: 0, dataDir: dir, token: TOKEN });
    cleanups.push(remove, () => server.close());
    const open = async () => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, SUBPROTOCOL);
      const inbox: Record<string, unknown>[] = [];
      socket.on('message', (data) => inbox.push(JSON.parse(String(data))));
      await new Promise((resolve) => socket.once('open', resolve));
      return { socket, inbox };
    };
    const older = await open();
    older.socket.send(JSON.stringify({ type: 'publish', runId: 'twice', token: TOKEN }));
    await waitFor(() => older.inbox.some((m) => m.type === 'published'));
    const newer = await open();
    newer.socket.send(JSON.stringify({ type: 'publish', runId: 'twice', token: TOKEN }));
    await waitFor(() => newer.inbox.some((m) => m.type === 'published'));
    await waitFor(() => older.inbox.some((m) => m.type === 'error'));
    expect(older.inbox.find((m) => m.type === 'error')).toMatchObject({ code: 'conflict', runId: 'twice' });
    older.socket.send(JSON.stringify({ type: 'publishEvents', runId: 'twice', events: [] }));
    await waitFor(() => older.inbox.filter((m) => m.type === 'error').length === 2);
    expect(older.inbox.at(-1)).toMatchObject({ code: 'not-publisher' });
    older.socket.close();
    newer.socket.close();
  });
});
