// The run link through Redis Streams: a trainer on this thread publishes with `publishRunToRedis`
// to a real redis-server (its own process, Unix socket, AOF on) and a server thread started with
// `redis` takes the run, stores it and acknowledges it back through Redis. Measured in the same
// interleaved rounds:
// - the trainer's steps/s with `train()` alone and published through Redis (the link's cost to
//   the training), and from the run's end to the acknowledgement of its last event (stored);
// - ingest: TRAINERS runs at full speed published at once, events stored per second (first event
//   to the last acknowledgement).
// One server: several servers serving at once are not built (docs/deploy.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineInfo, report } from '@downhill/bench-harness';
import { publishRunToRedis } from '@downhill/client/node';
import { lastValueFrom } from 'rxjs';
import { startServerThread } from '../src/index.js';
import { REDIS_SERVER, TestRedis } from '../test/redis-server.js';
import { tinyRun } from '../test/tiny-training.js';

const STEPS = 15_000;
const WORK_MS = 0.07;
const ROUNDS = 3;
const TRAINERS = 4;
const INGEST_STEPS = 20_000;

if (!REDIS_SERVER) {
  console.log('redis-link bench skipped: redis-server is not installed (apt-get install redis-server)');
  process.exit(0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const result = (xs: number[]) => ({ unitsPerSecond: median(xs), nsPerUnit: 1e9 / median(xs) });

const redis = await TestRedis.start();
const dataDir = mkdtempSync(join(tmpdir(), 'downhill-bench-redis-'));
const server = await startServerThread({ port: 0, dataDir, token: false, redis: redis.url });
let counter = 0;

async function alone(): Promise<number> {
  const started = performance.now();
  await lastValueFrom(tinyRun({ steps: STEPS, workMs: WORK_MS }));
  return STEPS / ((performance.now() - started) / 1000);
}

/** Steps/s until the run's `end` (the training's own time), and ms from then to the last acknowledgement (stored). */
async function published(): Promise<{ stepsPerSecond: number; ackMs: number }> {
  const runId = `bench-redis-${counter++}`;
  const started = performance.now();
  let endedAt = Number.NaN;
  await new Promise<void>((resolve, reject) => {
    publishRunToRedis((control) => tinyRun({ steps: STEPS, workMs: WORK_MS, runId }, control), {
      url: redis.url,
      finishTimeoutMs: 60_000,
    }).subscribe({
      next: (event) => {
        if (event.type === 'end') endedAt = performance.now();
      },
      error: reject,
      complete: resolve,
    });
  });
  const acked = performance.now();
  return { stepsPerSecond: STEPS / ((endedAt - started) / 1000), ackMs: acked - endedAt };
}

/** TRAINERS runs at full speed at once: events stored per second, first event to last acknowledgement. */
async function ingest(): Promise<number> {
  const started = performance.now();
  let events = 0;
  await Promise.all(
    Array.from(
      { length: TRAINERS },
      () =>
        new Promise<void>((resolve, reject) => {
          const runId = `bench-ingest-${counter++}`;
          publishRunToRedis((control) => tinyRun({ steps: INGEST_STEPS, runId }, control), {
            url: redis.url,
            finishTimeoutMs: 120_000,
          }).subscribe({ next: () => events++, error: reject, complete: resolve });
        }),
    ),
  );
  return events / ((performance.now() - started) / 1000);
}

const figures = {
  alone: [] as number[],
  redis: [] as number[],
  ackMs: [] as number[],
  ingest: [] as number[],
};
await alone(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  figures.alone.push(await alone());
  const run = await published();
  figures.redis.push(run.stepsPerSecond);
  figures.ackMs.push(run.ackMs);
  figures.ingest.push(await ingest());
}

console.log(machineInfo());
console.log(
  `${availableParallelism()} cores, shared by the training (this thread), the server (a worker thread of this process) and redis-server`,
);
report(
  `run link through Redis Streams (publishRunToRedis -> redis-server -> startServerThread({ redis })): one run, ${STEPS} steps with ${WORK_MS} ms of work per step`,
  { 'train() alone': result(figures.alone), 'published through Redis': result(figures.redis) },
  { baseline: 'train() alone', unit: 'step' },
);
console.log(
  `through Redis: the link's cost to the trainer ${((1 - median(figures.redis) / median(figures.alone)) * 100).toFixed(1)}% ` +
    `of train() alone (target < 10%); from the run's end to the acknowledgement of its last event (stored): ` +
    `median ${median(figures.ackMs).toFixed(0)} ms (rounds: ${figures.ackMs.map((ms) => ms.toFixed(0)).join(', ')})`,
);
console.log(
  `ingest through Redis: ${TRAINERS} runs of ${INGEST_STEPS} steps at full speed at once, stored and acknowledged: ` +
    `median ${Math.round(median(figures.ingest))} events/s (rounds: ${figures.ingest.map((x) => Math.round(x)).join(', ')})`,
);
await server.close();
await redis.stop();
rmSync(dataDir, { recursive: true, force: true });
