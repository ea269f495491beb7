// Commit throughput of the run stores: batches of 1000 step events (what a publisher's batch or a
// second of a fast run looks like) committed durably, Postgres against SQLite in the same
// interleaved rounds. Both are durable before `commit` resolves: SQLite with WAL and
// synchronous=FULL in its own thread, Postgres 15 (Debian's, started here in a temp directory on a
// Unix socket, fsync on, synchronous_commit on) through `pg`. Also: Postgres with four runs
// committing at once (four servers, or four links of one), which SQLite's single writer cannot
// overlap; and reading the run list of 10,000 runs, which a server does when it starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, report } from '@downhill/bench-harness';
import type { RunSummary } from '@downhill/protocol';
import { PostgresRunStore, type RunStore, SqliteRunStore } from '../src/index.js';
import { newSummary } from '../src/summarize-event.js';
import { rowOf, stepEvent } from '../src/test-events.js';
import { startTestPostgres } from '../src/test-postgres.js';

const BATCH = 1000;
const PARALLEL = 4;
const LOOP_ROUNDS = 7;
const RUNS = 10_000;

const dir = mkdtempSync(join(tmpdir(), 'downhill-store-bench-'));
const postgres = await startTestPostgres();
const stores: Record<string, RunStore> = {
  sqlite: await SqliteRunStore.open(join(dir, 'runs.sqlite')),
  postgres: await PostgresRunStore.open(postgres.config),
};

/** An ended run's summary as a real one looks: its configuration, metrics and hyperparameters. */
function finishedRun(runId: string, startedAt: number): RunSummary {
  return {
    ...newSummary(runId, 'remote', { name: `sweep trial ${runId}`, sweep: 'lr-search' }, startedAt),
    status: 'ended',
    endReason: 'completed',
    lastSeq: 20_000,
    step: 19_999,
    epoch: 19,
    loss: 0.0123,
    validationLoss: 0.0456,
    learningRate: 1e-3,
    hyperparams: { learningRate: 1e-3, momentum: 0.9, weightDecay: 1e-4 },
    config: {
      model: { name: 'mlp', layers: [784, 128, 10] },
      optimizer: { name: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999 },
      batchSize: 64,
      trainSize: 60_000,
      seed: startedAt,
    },
  };
}

/** One batch's rows, made once: the stores get texts ready made, as from the wire. */
const template = Array.from({ length: BATCH }, (_, i) => rowOf(stepEvent('bench', i, 1 / (i + 1))));
/** Each run's next seq: every batch is new events, as a live run's are. */
const next = new Map<string, number>();
function commitBatch(store: RunStore, runId: string): Promise<void> {
  const from = next.get(runId) ?? 0;
  next.set(runId, from + BATCH);
  const rows = template.map((row, i) => ({ ...row, seq: from + i }));
  return store.commit([
    { summary: { ...newSummary(runId, 'remote', {}, 0), lastSeq: from + BATCH - 1 }, rows },
  ]);
}

try {
  const results = await compare(
    {
      'sqlite, 1 run': { run: () => commitBatch(stores.sqlite!, 'sqlite-0'), ops: BATCH },
      'postgres, 1 run': { run: () => commitBatch(stores.postgres!, 'postgres-0'), ops: BATCH },
      [`postgres, ${PARALLEL} runs at once`]: {
        run: () =>
          Promise.all(
            Array.from({ length: PARALLEL }, (_, i) => commitBatch(stores.postgres!, `postgres-p${i}`)),
          ),
        ops: PARALLEL * BATCH,
      },
      [`sqlite, ${PARALLEL} runs at once`]: {
        run: () =>
          Promise.all(
            Array.from({ length: PARALLEL }, (_, i) => commitBatch(stores.sqlite!, `sqlite-p${i}`)),
          ),
        ops: PARALLEL * BATCH,
      },
    },
    { rounds: 7, minTimeMs: 500 },
  );
  report(`Run store commits: batches of ${BATCH} step events, durable`, results, {
    baseline: 'sqlite, 1 run',
    unit: 'event',
  });
  for (const [name, result] of Object.entries(results)) {
    const perCommit = (result.nsPerUnit * BATCH) / 1e6;
    console.log(`  ${name.padEnd(36)} ${perCommit.toFixed(2)} ms per commit of ${BATCH}`);
  }
  // What a commit costs the thread that serves sockets (event-loop busy time, not waiting):
  // SQLite's work is in its own thread, Postgres's in its own process; the rest is building and
  // sending the batch.
  console.log(`  serving thread's busy time per commit of ${BATCH} (median of ${LOOP_ROUNDS} rounds):`);
  for (const name of ['sqlite', 'postgres'] as const) {
    const busy: number[] = [];
    for (let round = 0; round < LOOP_ROUNDS; round++) {
      const before = performance.eventLoopUtilization();
      for (let i = 0; i < 5; i++) await commitBatch(stores[name]!, `${name}-loop`);
      busy.push(performance.eventLoopUtilization(before).active / 5);
    }
    busy.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(36)} ${busy[LOOP_ROUNDS >> 1]!.toFixed(2)} ms`);
  }

  // The run list of a store with 10,000 runs, which a server reads when it starts.
  for (const [name, store] of Object.entries(stores)) {
    for (let from = 0; from < RUNS; from += 500) {
      await store.commit(
        Array.from({ length: 500 }, (_, i) => ({
          summary: finishedRun(`${name}-list-${from + i}`, from + i),
          rows: [],
        })),
      );
    }
  }
  const listing = await compare(
    {
      'sqlite, listRuns': { run: () => stores.sqlite!.listRuns(), ops: 1 },
      'postgres, listRuns': { run: () => stores.postgres!.listRuns(), ops: 1 },
    },
    { rounds: 5, minTimeMs: 300, warmup: 1 },
  );
  console.log(`  listRuns of ${RUNS} runs (and the few above):`);
  for (const [name, result] of Object.entries(listing)) {
    console.log(`  ${name.padEnd(36)} ${(result.nsPerUnit / 1e6).toFixed(1)} ms`);
  }
} finally {
  await stores.sqlite!.close();
  await stores.postgres!.close();
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
