import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainEvent } from '@downhill/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { expectContiguous, tempDir } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  return response.json();
}

describe('a server killed mid-run', () => {
  it('lists finished runs with all their events after a restart, and the live one as interrupted', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', join(here, 'server-process.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
        const line = out.split('\n')[0];
        if (out.includes('\n') && line) resolve(JSON.parse(line).port);
      });
      child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    // Let the live run write a few batches, then kill the process without warning.
    let liveSteps = 0;
    while (liveSteps <= 100) {
      const run = (await getJson(`${base}/api/runs/live-run`)) as { step: number };
      liveSteps = run.step;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const server = await startServer({ port: 0, dataDir: dir, token: false });
    cleanups.unshift(() => server.close());
    const runs = server.runs();
    const finished = runs.find((run) => run.runId === 'finished-run');
    const live = runs.find((run) => run.runId === 'live-run');
    expect(finished).toMatchObject({ status: 'ended', endReason: 'completed', step: 200, lastSeq: 201 });
    expect(live?.status).toBe('interrupted');
    expect(live?.step).toBeGreaterThan(0);

    const { events } = (await getJson(`${server.url}/api/runs/finished-run/events`)) as {
      events: TrainEvent[];
    };
    expect(events).toHaveLength(202);
    expectContiguous(events);
    expect(events.filter((event) => event.type === 'step')).toHaveLength(200);
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'completed' });
    const liveEvents = (await getJson(`${server.url}/api/runs/live-run/events`)) as { events: TrainEvent[] };
    expectContiguous(liveEvents.events);
    expect(liveEvents.events.length).toBe((live?.lastSeq ?? -1) + 1);
  }, 30_000);
});
