// `downhill train --redis` and `downhill serve --redis` (built CLI) with a real redis-server
// (Debian's package) on a Unix socket in a temp directory; skipped, saying so, without it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainEvent } from '@downhill/core';
import { startServer } from '@downhill/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, startCli } from './run-cli.js';

const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) =>
  existsSync(path),
);
if (!REDIS_SERVER)
  console.warn('redis e2e tests skipped: redis-server is not installed (apt-get install redis-server)');

describe.skipIf(!REDIS_SERVER)('downhill train --redis / serve --redis (built CLI)', () => {
  let dir: string;
  let socket: string;
  let redis: ChildProcess;
  beforeAll(async () => {
    assertBuilt();
    dir = await mkdtemp(join(tmpdir(), 'downhill-cli-redis-'));
    socket = join(dir, 'redis.sock');
    redis = spawn(
      REDIS_SERVER!,
      ['--port', '0', '--unixsocket', socket, '--dir', dir, '--save', '', '--appendonly', 'yes'],
      { stdio: 'ignore' },
    );
    for (let waited = 0; !existsSync(socket); waited += 20) {
      if (waited > 10_000) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(async () => {
    redis?.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('train --redis publishes the run through Redis to a server started with it, which stores all of it', async () => {
    const server = await startServer({ port: 0, dataDir: join(dir, 'store'), redis: socket, log: () => {} });
    try {
      const out = join(dir, 'out');
      const result = await runCli(['train', 'linreg.yaml', '--redis', socket, '--out', out]);
      expect(result.stderr, result.stdout).toBe('');
      expect(result.code).toBe(0);
      const runId = /published through Redis \(.*\) as run (\S+)/.exec(result.stdout)?.[1];
      expect(runId, result.stdout).toBeDefined();
      const saved = (await readFile(join(out, 'events.jsonl'), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as TrainEvent).seq);
      const stored = (await server.store.readEvents(runId!, { fromSeq: 0 })).map((event) => event.seq);
      expect(stored).toEqual(saved);
      expect(server.runs().find((run) => run.runId === runId)?.status).toBe('ended');
    } finally {
      await server.close();
    }
  });

  it('serve --redis takes runs published through Redis and says so', async () => {
    const store = join(dir, 'served');
    const serve = startCli(['serve', '--port', '0', '--store', store, '--redis', socket]);
    try {
      for (let waited = 0; !serve.output().includes('through Redis'); waited += 20) {
        if (waited > 20_000) throw new Error(`serve did not start: ${serve.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(serve.output()).toContain(`runs published through Redis are taken from ${socket}`);
      const url = /serving on (\S+)/.exec(serve.output())![1]!;
      const result = await runCli(['train', 'linreg.yaml', '--redis', socket]);
      expect(result.code, result.stderr).toBe(0);
      const runId = /as run (\S+)/.exec(result.stdout)![1]!;
      const list = await runCli(['runs', 'show', runId.slice(0, 8), '--server', url]);
      expect(list.stdout).toContain(runId);
      expect(list.stdout).toMatch(/status\s+completed/);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
  });
});
