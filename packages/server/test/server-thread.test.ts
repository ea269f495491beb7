import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { connect } from '@downhill/client';
import type { TrainEvent } from '@downhill/core';
import { SUBPROTOCOL } from '@downhill/protocol';
import { filter, firstValueFrom, take, tap } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type DownhillServerThread, startServer, startServerThread } from '../src/index.js';
import { collectEvents, expectContiguous, TOKEN, tempDir, viaJson, waitFor } from './harness.js';
import { tinyRun } from './tiny-training.js';

let server: DownhillServerThread | undefined;
const dirs: (() => void)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const remove of dirs.splice(0)) remove();
});

function threadServer(): Promise<DownhillServerThread> {
  const { dir, remove } = tempDir();
  dirs.push(remove);
  return startServerThread({ port: 0, dataDir: dir, token: TOKEN });
}

describe('startServerThread: the server in a worker thread, runs trained on this one', () => {
  it('serves an attached run to two clients, event for event as it was emitted, and stores it', async () => {
    server = await threadServer();
    const emitted: TrainEvent[] = [];
    const attached = server.attach(
      (control) => tinyRun({ steps: 300, workMs: 1 }, control).pipe(tap((e) => emitted.push(e))),
      { name: 'threaded' },
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
    expect(eventsA).toHaveLength(302);
    expect(eventsB).toEqual(eventsA);
    expect(viaJson(eventsA)).toEqual(viaJson(emitted));
    const runs = await server.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId, name: 'threaded', status: 'ended', origin: 'local', step: 300 });
    const stats = await server.stats();
    expect(stats).toMatchObject({ liveRuns: 0, connections: 2 });
    a.close();
    b.close();
  });

  it('routes control messages from a client back to the run on the training thread', async () => {
    server = await threadServer();
    const attached = server.attach((control) => tinyRun({ steps: 100_000, workMs: 0.05 }, control));
    const runId = await attached.runId;
    const owner = connect(server.url, { token: TOKEN });
    const changes = firstValueFrom(
      owner.events(runId).pipe(
        filter((batch) => batch.events.some((event) => event.type === 'hyperparam')),
        take(1),
      ),
    );
    await owner.control(runId, { type: 'set', name: 'learningRate', value: 0.5, source: 'test' });
    const change = (await changes).events.find((event) => event.type === 'hyperparam');
    expect(change).toMatchObject({ name: 'learningRate', value: 0.5, previous: 0.01, source: 'test' });
    await owner.control(runId, { type: 'stop' });
    await attached.done;
    const summary = (await server.runs()).find((run) => run.runId === runId);
    expect(summary).toMatchObject({ status: 'ended', endReason: 'stopped' });
    owner.close();
  });

  it('stops live runs on close and records them as interrupted', async () => {
    const { dir, remove } = tempDir();
    dirs.push(remove);
    server = await startServerThread({ port: 0, dataDir: dir, token: TOKEN });
    let steps = 0;
    const attached = server.attach((control) =>
      tinyRun({ steps: 1_000_000, workMs: 0.05 }, control).pipe(tap(() => steps++)),
    );
    const runId = await attached.runId;
    await waitFor(() => steps > 50);
    await server.close();
    server = undefined;
    const stepsAtClose = steps;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(steps).toBe(stepsAtClose);
    await attached.done;
    const reopened = await startServer({ port: 0, dataDir: dir, token: TOKEN });
    const stored = reopened.runs().find((run) => run.runId === runId);
    expect(stored?.status).toBe('interrupted');
    expect(stored!.lastSeq).toBeGreaterThan(0);
    await reopened.close();
  });

  it('answers requests after close with an error instead of leaving them pending', async () => {
    const closing = await threadServer();
    await closing.close();
    await expect(closing.runs()).rejects.toThrow(/the server thread has exited/);
    await expect(closing.stats()).rejects.toThrow(/the server thread has exited/);
  });

  it('detach stops the training and records the run as interrupted', async () => {
    server = await threadServer();
    let steps = 0;
    const attached = server.attach((control) =>
      tinyRun({ steps: 1_000_000, workMs: 0.05 }, control).pipe(tap(() => steps++)),
    );
    const runId = await attached.runId;
    await waitFor(() => steps > 50);
    attached.detach();
    const stepsAtDetach = steps;
    await attached.done;
    expect(steps).toBe(stepsAtDetach);
    const summary = (await server.runs()).find((run) => run.runId === runId);
    expect(summary?.status).toBe('interrupted');
    expect(summary!.lastSeq).toBeGreaterThan(0);
  });

  it.runIf(process.platform === 'linux')(
    'runs the server thread at the nice value asked for (Linux)',
    async () => {
      const niceValues = (): number[] =>
        readdirSync('/proc/self/task').map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          // Field 19 (nice), counted after the parenthesised command name.
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        });
      const before = niceValues().filter((nice) => nice === 7).length;
      const { dir, remove } = tempDir();
      dirs.push(remove);
      server = await startServerThread({ port: 0, dataDir: dir, token: TOKEN, nice: 7 });
      // The server thread and the store thread it starts (threads inherit their creator's nice value).
      expect(niceValues().filter((nice) => nice === 7).length).toBeGreaterThanOrEqual(before + 2);
      // This (training) thread keeps the process's priority.
      const niceOf = (path: string) => Number(readFileSync(path, 'utf8').split(') ')[1]!.split(' ')[16]);
      expect(niceOf('/proc/thread-self/stat')).toBe(niceOf('/proc/self/stat'));
    },
  );

  it('refuses new events for a run id that has ended and stops that training, keeping the stored run', async () => {
    server = await threadServer();
    const first = server.attach((control) => tinyRun({ steps: 20, runId: 'same' }, control));
    await first.runId;
    await first.done;
    const stored = (await server.runs()).find((run) => run.runId === 'same')!;
    let emittedAfterStart = 0;
    const second = server.attach((control) =>
      tinyRun({ steps: 1_000_000, workMs: 0.05, runId: 'same' }, control).pipe(
        tap(() => emittedAfterStart++),
      ),
    );
    await second.done;
    const count = emittedAfterStart;
    // Refused long before its 50 s of steps were over, however slow a loaded machine answers.
    expect(count).toBeLessThan(1_000_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emittedAfterStart).toBe(count);
    expect((await server.runs()).find((run) => run.runId === 'same')).toMatchObject({
      status: 'ended',
      lastSeq: stored.lastSeq,
    });
  }, 180_000);

  it('rejects bad options and reports a server that cannot start', async () => {
    expect(() => startServerThread({ nice: 25 })).toThrow(/nice must be an integer from 0 to 19, got 25/);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { dir, remove } = tempDir();
    dirs.push(remove);
    await expect(startServerThread({ port, dataDir: dir })).rejects.toMatchObject({
      code: 'EADDRINUSE',
      message: expect.stringMatching(/EADDRINUSE/),
    });
    blocker.close();
  });

  it('dies of an uncaught error with a message and exit code 70, never silently', async () => {
    const { dir, remove } = tempDir();
    dirs.push(remove);
    // The server thread of `downhill serve`, its heap capped at 48 MB, fed one large event in
    // parts (which it holds until the last part comes): it runs out of memory.
    const child = spawn(
      process.execPath,
      [
        '--conditions=development',
        '--import',
        'tsx',
        new URL('./server-thread-process.ts', import.meta.url).pathname,
        dir,
        '48',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stdout.includes('\n') || child.exitCode !== null, 60_000);
      const { port } = JSON.parse(stdout) as { port: number };
      const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, SUBPROTOCOL);
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('open', resolve));
      const runId = 'large-event';
      socket.send(JSON.stringify({ type: 'publish', runId, token: 'test-token-0123456789' }));
      const piece = 'x'.repeat(200_000);
      for (let part = 0; part < 320 && socket.readyState === WebSocket.OPEN; part++) {
        socket.send(
          JSON.stringify({ type: 'publishEventPart', runId, seq: 0, part, parts: 4096, text: piece }),
        );
        if (part % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await exited).toBe(70);
      expect(stderr).toMatch(/downhill: the server thread failed: .*(memory|ERR_WORKER_OUT_OF_MEMORY)/i);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
