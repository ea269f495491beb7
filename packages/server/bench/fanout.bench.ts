// Fan-out: one run emitting about 10,000 step events per second, served live to 100 WebSocket
// clients on loopback. Three scenarios, measured in the same interleaved rounds:
// - server thread: the run trains on this thread and is attached to a server running in a worker
//   thread (`startServerThread`), which stores, encodes and writes to every client. Training
//   throughput without a server, with the server thread and no clients, and with 100 clients;
// - in process, one thread: the run is attached to `startServer`'s server, so serving, including
//   the loopback socket writes to every client, runs between the training's steps;
// - published: the same run trains in its own process (bench/fanout-trainer.ts) and streams to the
//   server with `publishRun`, as `downhill train --server` does. The trainer's own steps/s alone,
//   published with no clients, and published with 100 clients subscribed.
// For both: events delivered per second, p50/p99 delivery latency (event emitted -> parsed by a
// client), and the server's memory.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, report } from '@downhill/bench-harness';
import type { TrainEvent } from '@downhill/core';
import { lastValueFrom, tap } from 'rxjs';
import { startServer, startServerThread } from '../src/index.js';
import { tinyRun } from '../test/tiny-training.js';
import type { TrainerMessage, TrainJob } from './fanout-trainer.js';

const STEPS = 15_000;
const CLIENTS = 100;
const ROUNDS = 5;
// 0.07 ms of work per step: with the run loop's own cost, about 10,000 step events per second.
const WORK_MS = 0.07;

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'downhill-bench-'));
const server = await startServer({ port: 0, dataDir: join(dataDir, 'in-process'), token: false });
const threadServer = await startServerThread({ port: 0, dataDir: join(dataDir, 'thread'), token: false });
const execArgv = ['--conditions=development', '--import', 'tsx'];
const clients = fork(join(here, 'fanout-clients.ts'), [server.url, String(CLIENTS)], { execArgv });
// The same 100 clients' worth of sockets, connected to the server thread (idle in other scenarios).
const threadClients = fork(join(here, 'fanout-clients.ts'), [threadServer.url, String(CLIENTS)], {
  execArgv,
});
const trainer = fork(join(here, 'fanout-trainer.ts'), [], { execArgv });
const fromChild =
  (child: ChildProcess) =>
  <T = Record<string, number>>(type: string) =>
    new Promise<T>((resolve) => {
      const listener = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('message', listener);
        resolve(message as T);
      };
      child.on('message', listener);
    });
const fromClients = fromChild(clients);
const fromThreadClients = fromChild(threadClients);
const fromTrainer = fromChild(trainer);
await Promise.all([fromClients('ready'), fromThreadClients('ready'), fromTrainer('ready')]);

let runCounter = 0;
type Mode = 'alone' | 'server' | 'clients' | 'spooled';
/**
 * CPU time (user + system, ms) the training process used per run, until the run's end: the
 * training's own demand, whereas its wall time also counts waiting for a core.
 */
const trainingCpu = {
  inProcess: { alone: [], server: [], clients: [], spooled: [] } as Record<Mode, number[]>,
  published: { alone: [], server: [], clients: [], spooled: [] } as Record<Mode, number[]>,
};
const cpuMsSince = (before: NodeJS.CpuUsage) => {
  const usage = process.cpuUsage(before);
  return (usage.user + usage.system) / 1000;
};

async function alone(): Promise<number> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await lastValueFrom(tinyRun({ steps: STEPS, workMs: WORK_MS }));
  const stepsPerSecond = STEPS / ((performance.now() - started) / 1000);
  trainingCpu.inProcess.alone.push(cpuMsSince(cpuBefore));
  return stepsPerSecond;
}

const serverShare = { withoutClients: [] as number[], withClients: [] as number[] };

async function served(
  withClients: boolean,
): Promise<{ stepsPerSecond: number; delivery?: Record<string, number> }> {
  const runId = `bench-${runCounter++}`;
  let t0 = 0;
  let endedAt = 0;
  const flushBefore = server.stats().flushMs;
  const delivered = withClients ? fromClients('done') : undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const attached = server.attach((control) =>
    tinyRun({ steps: STEPS, workMs: WORK_MS, runId }, control).pipe(
      tap((event: TrainEvent) => {
        if (event.type === 'start') t0 = performance.timeOrigin + performance.now();
        if (event.type === 'end') endedAt = performance.now();
      }),
    ),
  );
  await attached.runId;
  if (withClients) clients.send({ runId, t0, lastSeq: STEPS + 1 });
  await attached.done;
  // Until the run's last event: `done` also waits for the next flush to store it.
  const elapsed = endedAt - started;
  trainingCpu.inProcess[withClients ? 'clients' : 'server'].push(cpuMsSince(cpuBefore));
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

/** The run on this thread, attached to the server thread, with or without the 100 clients subscribed. */
async function servedFromThread(
  withClients: boolean,
): Promise<{ stepsPerSecond: number; delivery?: Record<string, number> }> {
  const runId = `bench-${runCounter++}`;
  let t0 = 0;
  let endedAt = 0;
  const delivered = withClients ? fromThreadClients('done') : undefined;
  const started = performance.now();
  const attached = threadServer.attach((control) =>
    tinyRun({ steps: STEPS, workMs: WORK_MS, runId }, control).pipe(
      tap((event: TrainEvent) => {
        if (event.type === 'start') t0 = performance.timeOrigin + performance.now();
        if (event.type === 'end') endedAt = performance.now();
      }),
    ),
  );
  await attached.runId;
  if (withClients) threadClients.send({ runId, t0, lastSeq: STEPS + 1 });
  await attached.done;
  const stepsPerSecond = STEPS / ((endedAt - started) / 1000);
  if (!delivered) return { stepsPerSecond };
  const deliveredStarted = performance.now();
  const delivery = await delivered;
  return { stepsPerSecond, delivery: { ...delivery, tailMs: performance.now() - deliveredStarted } };
}

/** Waits until the server knows a published run (its `publish` may still be in flight). */
async function known(runId: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${server.url}/api/runs/${runId}`);
    await response.arrayBuffer();
    if (response.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The run in the trainer process: alone, or published to the server (with or without the clients). */
async function inTrainer(
  mode: Mode,
): Promise<{ stepsPerSecond: number; delivery?: Record<string, number>; cpu: Record<string, number> }> {
  const runId = `bench-${runCounter++}`;
  const delivered = mode === 'clients' ? fromClients('done') : undefined;
  const started = fromTrainer<Extract<TrainerMessage, { type: 'started' }>>('started');
  const trained = fromTrainer<Extract<TrainerMessage, { type: 'trained' }>>('trained');
  const job: TrainJob = {
    type: 'train',
    runId,
    steps: STEPS,
    workMs: WORK_MS,
    ...(mode === 'alone' ? {} : { url: server.url }),
    ...(mode === 'spooled' ? { spool: join(dataDir, `${runId}.spool.jsonl`) } : {}),
  };
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  trainer.send(job);
  if (delivered) {
    const { t0 } = await started;
    await known(runId);
    clients.send({ runId, t0, lastSeq: STEPS + 1 });
  }
  const { stepsPerSecond, cpuMs, ackMs } = await trained;
  trainingCpu.published[mode].push(cpuMs);
  if (mode !== 'alone') ackDelays.push(ackMs);
  const deliveredStarted = performance.now();
  const delivery = await delivered;

  // CPU time each process used for this run (the server's and clients' until the last delivery).
  const cpu = {
    wallMs: performance.now() - wallBefore,
    trainMs: (STEPS / stepsPerSecond) * 1000,
    trainer: cpuMs,
    server: cpuMsSince(cpuBefore),
    clients: delivery?.cpuMs ?? 0,
  };
  if (!delivery) return { stepsPerSecond, cpu };
  return { stepsPerSecond, cpu, delivery: { ...delivery, tailMs: performance.now() - deliveredStarted } };
}

const figures = { alone: [] as number[], server: [] as number[], clients: [] as number[] };
const threaded = { server: [] as number[], clients: [] as number[] };
const threadDeliveries: Record<string, number>[] = [];
const deliveries: Record<string, number>[] = [];
const published = {
  alone: [] as number[],
  server: [] as number[],
  clients: [] as number[],
  spooled: [] as number[],
};
/** From the run's `end` to the server's acknowledgement that its store committed the last event, in ms. */
const ackDelays: number[] = [];
const publishedDeliveries: Record<string, number>[] = [];
const publishedCpu: Record<string, number>[] = [];
// warm-up
await alone();
await servedFromThread(false);
await inTrainer('alone');
await inTrainer('server');
for (const cpu of Object.values(trainingCpu)) for (const list of Object.values(cpu)) list.length = 0;
for (let round = 0; round < ROUNDS; round++) {
  figures.alone.push(await alone());
  threaded.server.push((await servedFromThread(false)).stepsPerSecond);
  const threadWithClients = await servedFromThread(true);
  threaded.clients.push(threadWithClients.stepsPerSecond);
  threadDeliveries.push(threadWithClients.delivery!);
  figures.server.push((await served(false)).stepsPerSecond);
  const withClients = await served(true);
  figures.clients.push(withClients.stepsPerSecond);
  deliveries.push(withClients.delivery!);
  published.alone.push((await inTrainer('alone')).stepsPerSecond);
  published.server.push((await inTrainer('server')).stepsPerSecond);
  published.spooled.push((await inTrainer('spooled')).stepsPerSecond);
  const publishedWithClients = await inTrainer('clients');
  published.clients.push(publishedWithClients.stepsPerSecond);
  publishedDeliveries.push(publishedWithClients.delivery!);
  publishedCpu.push(publishedWithClients.cpu);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const result = (xs: number[]) => ({ unitsPerSecond: median(xs), nsPerUnit: 1e9 / median(xs) });

console.log(machineInfo());
console.log(
  `${availableParallelism()} cores, shared by every process here: the training (this process or the trainer's), ` +
    `the server (this process) and the ${CLIENTS} clients (one process)`,
);
const deliveryLines = (list: Record<string, number>[], stepsPerSecond: number) => {
  const seconds = STEPS / stepsPerSecond;
  for (const [index, delivery] of list.entries()) {
    console.log(
      `round ${index}: ${delivery.received} events delivered to ${CLIENTS} clients ` +
        `(${Math.round(delivery.received! / seconds)} events/s), latency p50 ${delivery.p50!.toFixed(1)} ms, ` +
        `p99 ${delivery.p99!.toFixed(1)} ms (${delivery.samples} samples), ` +
        `${(delivery.bytes! / 2 ** 20).toFixed(0)} MiB received`,
    );
  }
};
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

report(
  `fan-out from a server thread (startServerThread): one run, ${STEPS} steps with ${WORK_MS} ms of work per step`,
  {
    'train() alone': result(figures.alone),
    'server thread, 0 clients': result(threaded.server),
    [`server thread, ${CLIENTS} clients`]: result(threaded.clients),
  },
  { baseline: 'train() alone', unit: 'step' },
);
deliveryLines(threadDeliveries, median(threaded.clients));
console.log(
  `server thread: training slowdown with ${CLIENTS} clients: ${percent(1 - median(threaded.clients) / median(figures.alone))} ` +
    `(target < 10%); p99 ${median(threadDeliveries.map((d) => d.p99!)).toFixed(1)} ms (target < 100 ms)`,
);
{
  const stats = await threadServer.stats();
  console.log(
    `server thread: largest frame ${(stats.maxFrameBytes / 1024).toFixed(0)} KiB, ` +
      `largest socket buffer after a write ${(stats.maxBufferedAmount / 1024).toFixed(0)} KiB, ` +
      `${stats.skippedFrames} live frames skipped for a full socket`,
  );
}

report(
  `fan-out in process, one thread (startServer, server.attach): one run, ${STEPS} steps with ${WORK_MS} ms of work per step`,
  {
    'train() alone': result(figures.alone),
    'served, 0 clients': result(figures.server),
    [`served, ${CLIENTS} clients`]: result(figures.clients),
  },
  { baseline: 'train() alone', unit: 'step' },
);
deliveryLines(deliveries, median(figures.clients));
console.log(
  `time the server's work took on the training thread: ${percent(median(serverShare.withoutClients))} ` +
    `with no clients, ${percent(median(serverShare.withClients))} with ${CLIENTS} clients`,
);
console.log(
  `in process: training slowdown with ${CLIENTS} clients: ${percent(1 - median(figures.clients) / median(figures.alone))} ` +
    `(target < 10%); p99 ${median(deliveries.map((d) => d.p99!)).toFixed(1)} ms (target < 100 ms)`,
);

report(
  `fan-out published (trainer process, publishRun): the same run, ${STEPS} steps with ${WORK_MS} ms of work per step`,
  {
    'trainer, train() alone': result(published.alone),
    'published, 0 clients': result(published.server),
    'published with a file spool, 0 clients': result(published.spooled),
    [`published, ${CLIENTS} clients`]: result(published.clients),
  },
  { baseline: 'trainer, train() alone', unit: 'step' },
);
console.log(
  `published: the run link's cost to the trainer with its spool in a file: ${percent(1 - median(published.spooled) / median(published.alone))} ` +
    `of train() alone (in memory: ${percent(1 - median(published.server) / median(published.alone))}); ` +
    `from the run's end to the acknowledgement of its last event (stored): median ${median(ackDelays).toFixed(0)} ms`,
);
deliveryLines(publishedDeliveries, median(published.clients));
console.log(
  `published: trainer slowdown with ${CLIENTS} clients: ` +
    `${percent(1 - median(published.clients) / median(published.server))} against the same trainer published to no client, ` +
    `${percent(1 - median(published.clients) / median(published.alone))} against train() alone (target < 10%); ` +
    `p99 ${median(publishedDeliveries.map((d) => d.p99!)).toFixed(1)} ms (target < 100 ms)`,
);
for (const [scenario, cpu] of Object.entries(trainingCpu)) {
  console.log(
    `${scenario === 'inProcess' ? 'in process' : 'published'}: CPU time of the training process per run ` +
      `(medians, until the run's end): alone ${median(cpu.alone).toFixed(0)} ms, ` +
      `0 clients ${median(cpu.server).toFixed(0)} ms, ${CLIENTS} clients ${median(cpu.clients).toFixed(0)} ms`,
  );
}
{
  const of = (key: string) => median(publishedCpu.map((cpu) => cpu[key]!));
  const busy = (of('trainer') + of('server') + of('clients')) / of('wallMs');
  console.log(
    `published, ${CLIENTS} clients, CPU time per run (medians): trainer ${of('trainer').toFixed(0)} ms ` +
      `(its train() took ${of('trainMs').toFixed(0)} ms), server ${of('server').toFixed(0)} ms, ` +
      `clients ${of('clients').toFixed(0)} ms, over ${of('wallMs').toFixed(0)} ms until the last delivery: ` +
      `${busy.toFixed(2)} cores busy of ${availableParallelism()} (before other users of the machine)`,
  );
}
const memory = process.memoryUsage();
console.log(
  `server process memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB; ` +
    `largest frame ${(server.stats().maxFrameBytes / 1024).toFixed(0)} KiB, ` +
    `largest socket buffer after a write ${(server.stats().maxBufferedAmount / 1024).toFixed(0)} KiB`,
);
clients.send({ type: 'exit' });
threadClients.send({ type: 'exit' });
await server.close();
await threadServer.close();
trainer.send({ type: 'exit' });
rmSync(dataDir, { recursive: true, force: true });
