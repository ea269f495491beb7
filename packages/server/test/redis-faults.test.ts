// Fault injection on the run link through Redis: a trainer publishes while redis-server (AOF on)
// or the server is killed with SIGKILL at random points and started again (a server with a new
// name, which must take the run over from the dead one's lease and pending entries). In every
// trial the stored run must be exactly the trainer's events: none lost, none twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishRunToRedis } from '@downhill/client/node';
import type { TrainEvent } from '@downhill/core';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { SqliteRunStore } from '../src/index.js';
import { storedEvents, tempDir, testServer } from './harness.js';
import { REDIS_SERVER, TestRedis } from './redis-server.js';
import { tinyRun } from './tiny-training.js';

const here = dirname(fileURLToPath(import.meta.url));
const TRIALS = Number(process.env.DOWNHILL_FAULT_TRIALS ?? 10);
const STEPS = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lost: the trainer's seqs the store lacks; doubled: seqs stored more than once; foreign: stored seqs the trainer never made. */
function compare(own: readonly TrainEvent[], stored: readonly TrainEvent[]) {
  const storedSeqs = stored.map((event) => event.seq);
  const unique = new Set(storedSeqs);
  const ownSeqs = new Set(own.map((event) => event.seq));
  return {
    lost: own.filter((event) => !unique.has(event.seq)).length,
    doubled: storedSeqs.length - unique.size,
    foreign: storedSeqs.filter((seq) => !ownSeqs.has(seq)).length,
  };
}

function publish(url: string, runId: string, warnings: string[]) {
  return lastValueFrom(
    publishRunToRedis((control) => tinyRun({ steps: STEPS, runId, workMs: 2 }, control), {
      url,
      finishTimeoutMs: 30_000,
      warn: (message) => warnings.push(message),
    }).pipe(toArray()),
  );
}

function startServerProcess(dir: string, redis: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', join(here, 'redis-server-process.ts'), dir, redis],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr!.on('data', (chunk) => {
    errors += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}: ${errors}`)));
  });
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

describe.skipIf(!REDIS_SERVER)('the Redis run link under faults', () => {
  it(`SIGKILL of redis-server twice a run, restarted on its AOF: nothing lost or doubled (${TRIALS} trials)`, async () => {
    const totals = { lost: 0, doubled: 0, foreign: 0, events: 0, outages: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const redis = await TestRedis.start();
      // What the server says about Redis going away is expected here, not news.
      const server = await testServer({ redis: redis.url, log: () => {} });
      const runId = `redis-kill-${trial}`;
      const warnings: string[] = [];
      try {
        const finished = publish(redis.url, runId, warnings);
        for (let kill = 0; kill < 2; kill++) {
          await sleep(150 + ((trial * 7919 + kill * 104_729) % 500));
          await redis.kill();
          await sleep(100 + ((trial * 31 + kill * 17) % 400));
          await redis.restart();
        }
        const own = await finished;
        expect(own.at(-1)!.type).toBe('end');
        const counts = compare(own, await storedEvents(server.store, runId));
        totals.lost += counts.lost;
        totals.doubled += counts.doubled;
        totals.foreign += counts.foreign;
        totals.events += own.length;
        totals.outages += warnings.filter((message) => message.includes('is down')).length;
      } finally {
        await server.close();
        await redis.stop();
      }
    }
    console.log(`redis-server SIGKILL x2, ${TRIALS} trials: ${JSON.stringify(totals)}`);
    expect(totals).toMatchObject({ lost: 0, doubled: 0, foreign: 0 });
    // The kills did reach the trainer (it noticed Redis go away), not only the server.
    expect(totals.outages).toBeGreaterThan(0);
  }, 300_000);

  it(`SIGKILL of the server mid-run, a new server on the store takes the run over: nothing lost or doubled (${TRIALS} trials)`, async () => {
    const totals = { lost: 0, doubled: 0, foreign: 0, events: 0 };
    const redis = await TestRedis.start();
    const { dir, remove } = tempDir();
    // One server after another on the same store and Redis: each trial kills the one that serves
    // and starts the next, which has a new consumer name, so it must wait out the dead one's lease
    // and claim its pending entries.
    let server = await startServerProcess(dir, redis.url);
    const owns: TrainEvent[][] = [];
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        const finished = publish(redis.url, `server-kill-${trial}`, []);
        await sleep(200 + ((trial * 7919) % 700));
        await killHard(server);
        await sleep((trial * 131) % 300);
        server = await startServerProcess(dir, redis.url);
        const own = await finished;
        expect(own.at(-1)!.type).toBe('end');
        owns.push(own);
      }
      await killHard(server);
      const store = await SqliteRunStore.open(join(dir, 'runs.sqlite'));
      for (const [trial, own] of owns.entries()) {
        const counts = compare(own, await storedEvents(store, `server-kill-${trial}`));
        totals.lost += counts.lost;
        totals.doubled += counts.doubled;
        totals.foreign += counts.foreign;
        totals.events += own.length;
      }
      const runs = await store.listRuns();
      expect(runs.filter((run) => run.status === 'ended')).toHaveLength(TRIALS);
      await store.close();
    } finally {
      await killHard(server);
      await redis.stop();
      remove();
    }
    console.log(`server SIGKILL, ${TRIALS} trials: ${JSON.stringify(totals)}`);
    expect(totals).toMatchObject({ lost: 0, doubled: 0, foreign: 0 });
  }, 300_000);
});
