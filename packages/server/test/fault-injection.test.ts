// Fault injection on the run link: a trainer process publishes while the server process is killed
// (SIGKILL) or stopped, then started again on the same port and store. In every trial the stored
// run must be exactly the trainer's events: the same seqs, none lost, none twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainEvent } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { SqliteRunStore } from '../src/index.js';
import { storedEvents, tempDir } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const TRIALS = Number(process.env.DOWNHILL_FAULT_TRIALS ?? 20);
const STEPS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function node(script: string, args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', join(here, script), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function startServerProcess(dir: string, port = 0): Promise<{ child: ChildProcess; port: number }> {
  const child = node('plain-server-process.ts', [dir, String(port)]);
  let errors = '';
  child.stderr!.on('data', (chunk) => {
    errors += String(chunk);
  });
  const listening = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!).port);
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}: ${errors}`)));
  });
  return { child, port: listening };
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', resolve));
}

function ownEvents(path: string): TrainEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as TrainEvent);
}

/** One trial: a trainer publishes; `fault` breaks the server once; the stored run is compared with the trainer's. */
async function trial(fault: (server: ChildProcess) => Promise<'killed' | 'stopped'>, seed: number) {
  const { dir, remove } = tempDir();
  let server = await startServerProcess(dir);
  const { port } = server;
  const runId = `trial-${seed}`;
  const spool = join(dir, 'spool.jsonl');
  const own = join(dir, 'own.jsonl');
  const trainer = node('publishing-trainer.ts', [
    `http://127.0.0.1:${port}`,
    runId,
    String(STEPS),
    spool,
    own,
  ]);
  let trainerErrors = '';
  trainer.stderr!.on('data', (chunk) => {
    trainerErrors += String(chunk);
  });
  try {
    // Break the server at a random point of the run (the trainer takes ~1 s to start).
    await sleep(800 + ((seed * 7919) % 1200));
    await fault(server.child);
    await exited(server.child);
    await sleep((seed * 104729) % 700);
    server = await startServerProcess(dir, port);
    const code = await exited(trainer);
    expect(code, trainerErrors).toBe(0);
    server.child.kill('SIGTERM');
    await exited(server.child);
    const store = await SqliteRunStore.open(join(dir, 'runs.sqlite'), { readOnly: true });
    const stored = await storedEvents(store, runId);
    const summary = await store.getRun(runId);
    await store.close();
    const emitted = ownEvents(own);
    expect(emitted).toHaveLength(STEPS + 2);
    // Exactly the trainer's events: same seqs in order, none missing, none twice, same content.
    expect(stored.map((event) => event.seq)).toEqual(emitted.map((event) => event.seq));
    expect(stored).toEqual(emitted);
    expect(summary).toMatchObject({ status: 'ended', endReason: 'completed', lastSeq: STEPS + 1 });
    // Everything was acknowledged, so the trainer's spool is gone.
    expect(existsSync(spool)).toBe(false);
  } finally {
    trainer.kill('SIGKILL');
    server.child.kill('SIGKILL');
    remove();
  }
}

describe('the run link under faults: nothing acknowledged is lost, nothing is stored twice', () => {
  it(`survives SIGKILL of the server at a random point, ${TRIALS} trials`, async () => {
    for (let seed = 1; seed <= TRIALS; seed++) {
      await trial(async (server) => {
        server.kill('SIGKILL');
        return 'killed';
      }, seed);
    }
  }, 600_000);

  it(`survives the server stopped for a few seconds, ${TRIALS} trials`, async () => {
    for (let seed = 1; seed <= TRIALS; seed++) {
      await trial(async (server) => {
        server.kill('SIGTERM');
        return 'stopped';
      }, seed + 1000);
    }
  }, 600_000);
});
