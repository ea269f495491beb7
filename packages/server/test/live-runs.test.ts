import { connect, publishRun, type WebSocketConstructor, type WebSocketLike } from '@downhill/client';
import type { TrainEvent } from '@downhill/core';
import { filter, firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type DownhillServer, MemoryRunStore } from '../src/index.js';
import { collectEvents, expectContiguous, storedEvents, TOKEN, testServer, viaJson } from './harness.js';
import { tinyRun } from './tiny-training.js';

let server: (DownhillServer & { dir: string }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('live runs', () => {
  it('shows two clients the same live run, event for event, as the run emitted it', async () => {
    server = await testServer();
    const emitted: TrainEvent[] = [];
    const attached = server.attach((control) =>
      tinyRun({ steps: 300, workMs: 1 }, control).pipe(tap((e) => emitted.push(e))),
    );
    const runId = await attached.runId;
    const a = connect(server.url);
    const b = connect(server.url);
    const [eventsA, eventsB] = await Promise.all([
      collectEvents(a.events(runId)),
      collectEvents(b.events(runId)),
    ]);
    await attached.done;
    expectContiguous(eventsA);
    expect(eventsA.at(-1)?.type).toBe('end');
    expect(eventsB).toEqual(eventsA);
    expect(viaJson(eventsA)).toEqual(viaJson(emitted));
    a.close();
    b.close();
  });

  it('gives a client that reconnects mid-run exactly the events of one that never left', async () => {
    server = await testServer();
    const attached = server.attach((control) => tinyRun({ steps: 400, workMs: 1 }, control));
    const runId = await attached.runId;
    const sockets: WebSocketLike[] = [];
    const Recording = class extends WebSocket {
      constructor(url: string, protocols: string | string[]) {
        super(url, protocols);
        sockets.push(this as unknown as WebSocketLike);
      }
    } as unknown as WebSocketConstructor;
    const steady = connect(server.url);
    const flaky = connect(server.url, { WebSocket: Recording, initialDelayMs: 20 });
    let drops = 0;
    const flakyEvents = collectEvents(
      flaky.events(runId).pipe(
        tap((batch) => {
          // Drop the connection twice while the run is live.
          const seq = batch.events.at(-1)?.seq ?? 0;
          if ((drops === 0 && seq > 50) || (drops === 1 && seq > 200)) {
            drops++;
            (sockets.at(-1) as unknown as WebSocket).terminate();
          }
        }),
      ),
    );
    const [steadyEvents, resumedEvents] = await Promise.all([
      collectEvents(steady.events(runId)),
      flakyEvents,
    ]);
    expect(drops).toBe(2);
    expect(sockets.length).toBeGreaterThanOrEqual(3);
    expectContiguous(steadyEvents);
    expect(resumedEvents).toEqual(steadyEvents);
    steady.close();
    flaky.close();
  });

  it('routes control messages with the token to the run, and refuses them without it', async () => {
    server = await testServer();
    const attached = server.attach((control) => tinyRun({ steps: 100_000, workMs: 0.05 }, control));
    const runId = await attached.runId;
    const anonymous = connect(server.url);
    await expect(anonymous.control(runId, { type: 'pause' })).rejects.toThrow(/unauthorized/);
    const owner = connect(server.url, { token: TOKEN });
    const changes = firstValueFrom(
      owner.events(runId).pipe(
        filter((batch) => batch.events.some((event) => event.type === 'hyperparam')),
        take(1),
      ),
    );
    await owner.control(runId, { type: 'set', name: 'learningRate', value: 0.5, source: 'test' });
    const batch = await changes;
    const change = batch.events.find((event) => event.type === 'hyperparam');
    expect(change).toMatchObject({ name: 'learningRate', value: 0.5, previous: 0.01, source: 'test' });
    await owner.control(runId, { type: 'stop' });
    await attached.done;
    const summary = server.runs().find((run) => run.runId === runId);
    expect(summary).toMatchObject({ status: 'ended', endReason: 'stopped' });
    await expect(owner.control(runId, { type: 'pause' })).rejects.toThrow(/run-ended/);
    anonymous.close();
    owner.close();
  });

  it('lists runs live: a new run appears, then ends', async () => {
    server = await testServer();
    const client = connect(server.url);
    const lists: string[] = [];
    const ended = firstValueFrom(
      client.runs().pipe(
        tap((runs) => lists.push(runs.map((run) => `${run.name}:${run.status}`).join(','))),
        filter((runs) => runs.some((run) => run.status === 'ended')),
      ),
    );
    await firstValueFrom(client.status$.pipe(filter((status) => status === 'open')));
    server.attach((control) => tinyRun({ steps: 50, name: 'listed' }, control));
    const runs = await ended;
    expect(runs[0]).toMatchObject({ name: 'listed', status: 'ended', origin: 'local', step: 50 });
    expect(lists.at(-1)).toBe('listed:ended');
    expect(lists.every((list) => list === '' || /^listed:(running|ended)$/.test(list))).toBe(true);
    client.close();
  });

  it('tells a client that keeps the run list that a live run ended', async () => {
    // Commits do not wait for the flush that sends run summaries: the end is usually stored before
    // the next flush, and the run must not leave the live set before the list hears it ended (the
    // dashboard test that stops a run through the server caught that; this is the plain case).
    server = await testServer();
    const client = connect(server.url);
    const lists: { runId: string; status: string }[][] = [];
    const subscription = client
      .runs()
      .subscribe((runs) => lists.push(runs.map(({ runId, status }) => ({ runId, status }))));
    await firstValueFrom(client.status$.pipe(filter((status) => status === 'open')));
    const attached = server.attach((control) => tinyRun({ steps: 300, workMs: 1, name: 'quick' }, control));
    const runId = await attached.runId;
    await attached.done;
    // Flushes later, the list this client keeps (live `run` messages only) says it ended.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(lists.at(-1)).toEqual([{ runId, status: 'ended' }]);
    subscription.unsubscribe();
    client.close();
  });

  it('shows a run published by another process live, and sends it the commands meant for it', async () => {
    server = await testServer();
    const serverUrl = server.url;
    const published = publishRun(
      (control) => tinyRun({ steps: 100_000, workMs: 0.05, runId: 'remote-1' }, control),
      {
        url: serverUrl,
        token: TOKEN,
        meta: { name: 'from the CLI' },
      },
    );
    const trainerEvents = lastValueFrom(published.pipe(toArray()));
    const viewer = connect(serverUrl, { token: TOKEN });
    const listed = await firstValueFrom(
      viewer.runs().pipe(filter((runs) => runs.some((run) => run.runId === 'remote-1' && run.lastSeq > 10))),
    );
    expect(listed[0]).toMatchObject({ origin: 'remote', status: 'running', name: 'from the CLI' });
    const seen = collectEvents(viewer.events('remote-1'));
    await viewer.control('remote-1', { type: 'stop' });
    const [own, watched] = await Promise.all([trainerEvents, seen]);
    expect(own.at(-1)).toMatchObject({ type: 'end', reason: 'stopped', source: 'remote' });
    expectContiguous(watched);
    expect(viaJson(watched)).toEqual(viaJson(own));
    viewer.close();
  });

  it('runs on another store behind the same interface (in memory)', async () => {
    server = await testServer({ store: new MemoryRunStore() });
    const attached = server.attach((control) => tinyRun({ steps: 120 }, control));
    const runId = await attached.runId;
    const client = connect(server.url);
    const events = await collectEvents(client.events(runId));
    expectContiguous(events);
    expect(events).toHaveLength(122);
    await attached.done;
    expect(await storedEvents(server.store, runId)).toHaveLength(122);
    client.close();
  });
});
