// Fan-out: one run emitting about 10,000 step events per second, served live to 100 WebSocket
// clients on loopback. Measures training throughput without a server, with a server and no
// clients, and with 100 clients (the same run, interleaved rounds), events delivered per second,
// p50/p99 delivery latency (event emitted -> parsed by a client) and the server's memory.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, report } from '@downhill/bench-harness';
import type { TrainEvent } from '@downhill/core';
import { lastValueFrom, tap } from 'rxjs';
import { startServer } from '../src/index.js';
import { tinyRun } from '../test/tiny-training.js';

const STEPS = 15_000;
const CLIENTS = 100;
const ROUNDS = 3;
// 0.07 ms of work per step: with the run loop's own cost, about 10,000 step events per second.
const WORK_MS = 0.07;

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'downhill-bench-'));
const server = await startServer({ port: 0, dataDir, token: false });
const clients = fork(join(here, 'fanout-clients.ts'), [server.url, String(CLIENTS)], {
  execArgv: ['--conditions=development', '--import', 'tsx'],
});
const fromClients = (type: string) =>
  new Promise<Record<string, number>>((resolve) => {
    const listener = (message: Record<string, number> & { type: string }) => {
      if (message.type !== type) return;
      clients.off('message', listener);
      resolve(message);
    };
    clients.on('message', listener);
  });
await fromClients('ready');

let runCounter = 0;
async function alone(): Promise<number> {
  const started = performance.now();
  await lastValueFrom(tinyRun({ steps: STEPS, workMs: WORK_MS }));
  return STEPS / ((performance.now() - started) / 1000);
}

const serverShare = { withoutClients: [] as number[], withClients: [] as number[] };

async function served(
  withClients: boolean,
): Promise<{ stepsPerSecond: number; delivery?: Record<string, number> }> {
  const runId = `bench-${runCounter++}`;
  let t0 = 0;
  const flushBefore = server.stats().flushMs;
  const delivered = withClients ? fromClients('done') : undefined;
  const started = performance.now();
  const attached = server.attach((control) =>
    tinyRun({ steps: STEPS, workMs: WORK_MS, runId }, control).pipe(
      tap((event: TrainEvent) => {
        if (event.type === 'start') t0 = performance.timeOrigin + performance.now();
      }),
    ),
  );
  await attached.runId;
  if (withClients) clients.send({ runId, t0, lastSeq: STEPS + 1 });
  await attached.done;
  const elapsed = performance.now() - started;
  const stepsPerSecond = STEPS / (elapsed / 1000);
  // The share of the training thread's wall time that serving took (store, encode, socket writes).
  (withClients ? serverShare.withClients : serverShare.withoutClients).push(
    (server.stats().flushMs - flushBefore) / elapsed,
  );
  if (!delivered) return { stepsPerSecond };
  const deliveredStarted = performance.now();
  const delivery = await delivered;
  return { stepsPerSecond, delivery: { ...delivery, tailMs: performance.now() - deliveredStarted } };
}

const figures = { alone: [] as number[], server: [] as number[], clients: [] as number[] };
const deliveries: Record<string, number>[] = [];
await alone(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  figures.alone.push(await alone());
  figures.server.push((await served(false)).stepsPerSecond);
  const withClients = await served(true);
  figures.clients.push(withClients.stepsPerSecond);
  deliveries.push(withClients.delivery!);
}
const memory = process.memoryUsage();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const result = (xs: number[]) => ({ unitsPerSecond: median(xs), nsPerUnit: 1e9 / median(xs) });

console.log(machineInfo());
report(
  `fan-out: one run, ${STEPS} steps with ${WORK_MS} ms of work per step`,
  {
    'train() alone': result(figures.alone),
    'served, 0 clients': result(figures.server),
    [`served, ${CLIENTS} clients`]: result(figures.clients),
  },
  { baseline: 'train() alone', unit: 'step' },
);
const slowdown = 1 - median(figures.clients) / median(figures.alone);
for (const [index, delivery] of deliveries.entries()) {
  const seconds = STEPS / median(figures.clients);
  console.log(
    `round ${index}: ${delivery.received} events delivered to ${CLIENTS} clients ` +
      `(${Math.round(delivery.received! / seconds)} events/s), latency p50 ${delivery.p50!.toFixed(1)} ms, ` +
      `p99 ${delivery.p99!.toFixed(1)} ms (${delivery.samples} samples), ` +
      `${(delivery.bytes! / 2 ** 20).toFixed(0)} MiB received`,
  );
}
console.log(
  `time the server's work took on the training thread: ${(median(serverShare.withoutClients) * 100).toFixed(1)}% ` +
    `with no clients, ${(median(serverShare.withClients) * 100).toFixed(1)}% with ${CLIENTS} clients`,
);
console.log(
  `training slowdown with ${CLIENTS} clients: ${(slowdown * 100).toFixed(1)}% (target < 10%); ` +
    `p99 ${median(deliveries.map((d) => d.p99!)).toFixed(1)} ms (target < 100 ms)`,
);
console.log(
  `server process memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB; ` +
    `largest frame ${(server.stats().maxFrameBytes / 1024).toFixed(0)} KiB, ` +
    `largest socket buffer after a write ${(server.stats().maxBufferedAmount / 1024).toFixed(0)} KiB`,
);
clients.send({ type: 'exit' });
await server.close();
rmSync(dataDir, { recursive: true, force: true });
