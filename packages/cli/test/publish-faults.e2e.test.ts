import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DownhillServer, SqliteRunStore, startServer, storedEventTexts } from '@downhill/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, FIXTURES, runCli, startCli } from './run-cli.js';

// The trainer side of the run link under faults: `downhill train --server` is SIGKILLed at a random
// point and resumed from its checkpoint, publishing to the same server. The server must end up
// with exactly the run's events: every seq once, none lost.

const TRIALS = Number(process.env.DOWNHILL_FAULT_TRIALS ?? 20);
let dir: string;
let server: DownhillServer;

const CONFIG = [
  'seed: 5',
  'model: linear',
  `data: { file: ${join(FIXTURES, 'linreg-100.csv')}, features: [0], targets: 1 }`,
  'optimizer: { name: sgd, learningRate: 0.00001, momentum: 0.9 }',
  'batchSize: 4',
  // 15,000 steps: long enough (over a second, published) that a kill within 400 ms of the first
  // checkpoint lands before the end.
  'epochs: 600',
  '',
].join('\n');

/** A seeded sequence, so that a failing trial can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Events without their wall time (a replayed step keeps the copy the server took first). */
const comparable = (events: Record<string, unknown>[]) => events.map(({ time: _t, ...rest }) => rest);

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'downhill-publish-faults-'));
  await writeFile(join(dir, 'run.yaml'), CONFIG);
  server = await startServer({ port: 0, dataDir: join(dir, 'store'), log: () => {} });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('downhill train --server, SIGKILLed and resumed from its checkpoint', () => {
  it(`${TRIALS} trials: the server stores exactly the run's events, every seq once`, async () => {
    const next = random(7);
    const publish = ['--server', server.url, '--token', server.token!];
    for (let trial = 0; trial < TRIALS; trial++) {
      const out = join(dir, `trial-${trial}`);
      const cli = startCli(['train', 'run.yaml', '--out', out, '--checkpoint-every', '50', ...publish], {
        cwd: dir,
      });
      while (!existsSync(join(out, 'checkpoint.json')) && cli.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, next() * 400));
      cli.child.kill('SIGKILL');
      await cli.done;
      expect(cli.child.signalCode, `trial ${trial} finished before the kill`).toBe('SIGKILL');
      const resumed = await runCli(['train', '--resume', out, ...publish], { cwd: dir });
      expect(resumed.code, `trial ${trial}: ${resumed.stderr}`).toBe(0);
      const events = (await readFile(join(out, 'events.jsonl'), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const runId = events[0]!.runId as string;
      expect(events.at(-1), `trial ${trial}`).toMatchObject({ type: 'end', reason: 'completed' });
      const stored: Record<string, unknown>[] = [];
      const store = await SqliteRunStore.open(join(dir, 'store', 'runs.sqlite'), { readOnly: true });
      for await (const text of storedEventTexts(store, runId)) stored.push(JSON.parse(text));
      await store.close();
      expect(
        stored.map((event) => event.seq),
        `trial ${trial}`,
      ).toEqual(events.map((event) => event.seq));
      expect(comparable(stored), `trial ${trial}`).toEqual(comparable(events));
      expect(server.runs().find((run) => run.runId === runId)).toMatchObject({ status: 'ended' });
      // Everything was acknowledged: the spool is gone.
      expect(existsSync(join(out, 'spool.jsonl')), `trial ${trial}`).toBe(false);
    }
  }, 600_000);

  it('a resume with nothing left to do says so and leaves no empty spool file behind', async () => {
    const out = join(dir, 'finished');
    const publish = ['--server', server.url, '--token', server.token!];
    const first = await runCli(['train', 'run.yaml', '--out', out, ...publish], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(out, 'spool.jsonl'))).toBe(false);
    const again = await runCli(['train', '--resume', out, ...publish], { cwd: dir });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('nothing to resume');
    expect(existsSync(join(out, 'spool.jsonl'))).toBe(false);
  }, 120_000);
});
