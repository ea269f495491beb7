import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@downhill/client';
import type { RunSummary } from '@downhill/protocol';
import { type DownhillServer, startServer } from '@downhill/server';
import { filter, firstValueFrom, map, timeout } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, closedPort, FIXTURES, runCli, startCli } from './run-cli.js';

let dir: string;
let server: DownhillServer;

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'downhill-cli-server-'));
  server = await startServer({ port: 0, dataDir: join(dir, 'store') });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('downhill train --server (built CLI)', () => {
  it('streams the run to a running server, which sees it live and can stop it', async () => {
    // Stochastic descent for a very long time: the run is still going when the test looks at it.
    const config = [
      'name: published-run',
      'model: linear',
      `data: ${join(FIXTURES, 'linreg-100.csv')}`,
      'optimizer: { name: sgd, learningRate: 0.00001 }',
      'batchSize: 1',
      'epochs: 100000',
      'init: [0, 0]',
      '',
    ].join('\n');
    await writeFile(join(dir, 'long.yaml'), config);
    const out = join(dir, 'published');
    const cli = startCli(
      ['train', 'long.yaml', '--server', server.url, '--token', server.token!, '--out', out],
      {
        cwd: dir,
      },
    );
    const client = connect(server.url, { token: server.token! });
    try {
      // Poll the server's live run list, so the run is stopped soon after it appears (a fast
      // stochastic run makes ~100k events a second, and the server stores every one of them).
      let live: RunSummary | undefined;
      for (let waited = 0; !live && waited < 30_000; waited += 10) {
        await new Promise((r) => setTimeout(r, 10));
        live = server.runs().find((r) => r.name === 'published-run' && r.status === 'running' && r.step > 0);
      }
      if (!live) throw new Error(`the published run never showed up live; CLI output:\n${cli.output()}`);
      expect(live.origin).toBe('remote');
      expect(live.config).toMatchObject({ model: { name: 'linear-regression' } });
      await client.control(live.runId, { type: 'stop', source: 'e2e-test' });
      const result = await cli.done;
      expect(result.stderr, result.stdout).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/stopped after \d+ steps/);
      expect(result.stdout).toContain(`published to ${server.url} as run ${live.runId}`);
      const ended = await firstValueFrom(
        client.runs().pipe(
          map((runs) => runs.find((r) => r.runId === live.runId)),
          filter((r): r is RunSummary => r?.status === 'ended'),
          timeout(10_000),
        ),
      );
      expect(ended.endReason).toBe('stopped');
      // The server stored the same end event the CLI saved.
      const saved = JSON.parse(await readFile(join(out, 'params.json'), 'utf8'));
      expect(ended.step).toBe(saved.step);
      const list = await runCli(['runs', 'list', '--server', server.url]);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(live.runId.slice(0, 8));
      expect(list.stdout).toMatch(/stopped\s+\d+/);
      const csv = await runCli(['runs', 'export', live.runId.slice(0, 8), '--server', server.url]);
      expect(csv.code).toBe(0);
      const lines = csv.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('seq,type,time,step,epoch,batch,loss,validationLoss,gradNorm,learningRate,note');
      expect(lines[1]).toMatch(/^0,start,/);
      expect(lines.at(-1)).toMatch(/,end,/);
    } finally {
      client.close();
      cli.child.kill('SIGKILL');
    }
  }, 60_000);
});

describe('downhill train --server: a run the server did not record', () => {
  const longConfig = [
    'name: unrecorded-run',
    'model: linear',
    `data: ${join(FIXTURES, 'linreg-100.csv')}`,
    'optimizer: { name: sgd, learningRate: 0.00001 }',
    'batchSize: 1',
    'epochs: 100000',
    'init: [0, 0]',
    '',
  ].join('\n');

  it('an unreachable server: trains, writes --out, then says the run was not recorded and exits 1', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const out = join(dir, 'unreachable');
    const result = await runCli(['train', 'linreg.yaml', '--server', url, '--out', out]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/completed after \d+ steps/);
    expect(result.stdout).not.toContain('published to');
    // The link warned once that the server is down, then says what it lacks and where it is kept.
    const spool = join(out, 'spool.jsonl');
    expect(result.stderr).toMatch(
      new RegExp(
        `^downhill: the run link to ${url} is down \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\); training goes on, \\d+ event\\(s\\) waiting in ${spool}, sent when it is back\ndownhill: run \\S+ was not recorded on the server: ${url} acknowledged no event; \\d+ of the run's events were not stored \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\); they are kept in ${spool}: upload them with \`downhill runs sync ${spool} --server URL\`\n$`,
      ),
    );
    expect(existsSync(spool)).toBe(true);
    const saved = JSON.parse(await readFile(join(out, 'params.json'), 'utf8'));
    expect(saved.reason).toBe('completed');
    const events = (await readFile(join(out, 'events.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(events.at(-1)!)).toMatchObject({ type: 'end', reason: 'completed' });
  }, 60_000);

  it('a server killed mid-run: the run goes on, writes --out, then names what the server lacks and exits 1', async () => {
    const store = join(dir, 'killed-store');
    const serve = startCli(['serve', '--port', '0', '--store', store], { cwd: dir });
    let cli: ReturnType<typeof startCli> | undefined;
    try {
      while (!/control token: \S+/.test(serve.output())) {
        if (serve.child.exitCode !== null) throw new Error(`serve exited: ${serve.output()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const url = /serving on (http:\/\/\S+)/.exec(serve.output())![1]!;
      const token = /control token: (\S+)/.exec(serve.output())![1]!;
      await writeFile(join(dir, 'unrecorded.yaml'), longConfig);
      const out = join(dir, 'killed');
      cli = startCli(['train', 'unrecorded.yaml', '--server', url, '--token', token, '--out', out], {
        cwd: dir,
      });
      // Kill the server (no restart) once it has some of the run.
      let stored: RunSummary | undefined;
      for (let waited = 0; !stored && waited < 60_000; waited += 20) {
        await new Promise((r) => setTimeout(r, 20));
        if (serve.child.exitCode !== null) throw new Error(`serve exited: ${serve.output()}`);
        // A poll may meet a keep-alive connection the server is closing: try again.
        const response = await fetch(`${url}/api/runs`).catch(() => undefined);
        if (!response) continue;
        const { runs } = (await response.json()) as { runs: RunSummary[] };
        stored = runs.find((r) => r.name === 'unrecorded-run' && r.lastSeq > 0);
      }
      if (!stored) throw new Error(`the run never reached the server; CLI output:\n${cli.output()}`);
      serve.child.kill('SIGKILL');
      await serve.done;
      // The run goes on without the server; stop it as a user would.
      await new Promise((r) => setTimeout(r, 200));
      cli.child.kill('SIGINT');
      const result = await cli.done;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/stopped after \d+ steps/);
      const saved = JSON.parse(await readFile(join(out, 'params.json'), 'utf8'));
      expect(saved.reason).toBe('stopped');
      const lines = (await readFile(join(out, 'events.jsonl'), 'utf8')).trimEnd().split('\n');
      const end = JSON.parse(lines.at(-1)!);
      expect(end).toMatchObject({ type: 'end', reason: 'stopped', seq: lines.length - 1 });
      const spool = join(out, 'spool.jsonl');
      const match = new RegExp(
        `downhill: run ${end.runId} was not recorded on the server: ${url} acknowledged (?:no event|the events up to seq (\\d+) of ${end.seq}); (\\d+) of the run's events were not stored \\(.+\\); they are kept in ${spool}`,
      ).exec(result.stderr);
      expect(match, result.stderr).not.toBeNull();
      // The server took events until it died; the rest of the run came after.
      const acknowledged = match![1] === undefined ? -1 : Number(match![1]);
      expect(acknowledged).toBeLessThan(end.seq);
      expect(Number(match![2])).toBe(end.seq - acknowledged);

      // The server comes back (same store, same token); `runs sync` uploads what it lacks.
      const again = startCli(['serve', '--port', '0', '--store', store], { cwd: dir });
      try {
        while (!/serving on (http:\/\/\S+)/.test(again.output())) {
          if (again.child.exitCode !== null) throw new Error(`serve exited: ${again.output()}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        const url2 = /serving on (http:\/\/\S+)/.exec(again.output())![1]!;
        expect(again.output()).toContain(`control token: ${token}`);
        const sync = await runCli(['runs', 'sync', spool, '--server', url2, '--token', token], { cwd: dir });
        expect(sync.code, sync.stdout + sync.stderr).toBe(0);
        expect(sync.stdout).toContain(`synced run ${end.runId} from ${spool}: ${url2} has all its events`);
        expect(existsSync(spool)).toBe(false);
        const exported = await runCli(['runs', 'export', end.runId, '--format', 'json', '--server', url2]);
        const { events: stored } = JSON.parse(exported.stdout) as { events: { seq: number }[] };
        expect(stored.map((event) => event.seq)).toEqual(lines.map((line) => JSON.parse(line).seq));
        expect(stored).toEqual(lines.map((line) => JSON.parse(line)));
      } finally {
        again.child.kill('SIGKILL');
      }
    } finally {
      serve.child.kill('SIGKILL');
      cli?.child.kill('SIGKILL');
    }
  }, 120_000);
});

describe('downhill demo (built CLI)', () => {
  it('serves, prints URL and token, trains the experiments live and stores them', async () => {
    const store = join(dir, 'demo-store');
    const result = await runCli(
      [
        'demo',
        '--port',
        '0',
        '--store',
        store,
        '--speed',
        '0',
        '--only',
        'line-and-cubic,learning-rates',
        '--exit-when-done',
      ],
      { cwd: dir },
    );
    expect(result.stderr, result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Downhill is serving on http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/control token: \S{8,}/);
    expect(result.stdout).toContain('started 5 runs of 2 experiments: line-and-cubic, learning-rates');
    expect(result.stdout).toMatch(/learning-rates \/ lr 0\.1 \(too large\): diverged after \d+ steps/);
    // The learning-rates runs share one loader and train at the same time: none may fail.
    expect(result.stdout).not.toMatch(/: error after/);
    expect(result.stdout).toMatch(/line-and-cubic \/ line, 20 steps at lr 0\.01: completed after 20 steps/);

    const list = await runCli(['runs', 'list', '--store', store]);
    expect(list.code).toBe(0);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(6);
    expect(list.stdout).toContain('learning-rates: lr 0.1 (too large)');
    const id = list.stdout.split('\n')[1]!.slice(0, 8);
    const show = await runCli(['runs', 'show', id, '--store', store]);
    expect(show.stdout).toMatch(/^id +\S+/);
    const json = await runCli(['runs', 'export', id, '--store', store, '--format', 'json']);
    const exported = JSON.parse(json.stdout) as { run: RunSummary; events: { type: string }[] };
    expect(exported.run.runId.startsWith(id)).toBe(true);
    expect(exported.events[0]!.type).toBe('start');
    expect(exported.events.at(-1)!.type).toBe('end');
  }, 60_000);

  it('serve: serves an existing store until interrupted', async () => {
    const store = join(dir, 'serve-store');
    const demo = await runCli([
      'demo',
      '--port',
      '0',
      '--store',
      store,
      '--speed',
      '0',
      '--only',
      'saddle-point',
      '--exit-when-done',
    ]);
    expect(demo.code).toBe(0);
    const serve = startCli(['serve', '--port', '0', '--store', store], { cwd: dir });
    try {
      while (!/3 runs in the store/.test(serve.output())) await new Promise((r) => setTimeout(r, 20));
      const url = /serving on (http:\/\/\S+)/.exec(serve.output())![1]!;
      const { runs } = (await (await fetch(`${url}/api/runs`)).json()) as { runs: RunSummary[] };
      expect(runs.map((r) => r.name).sort()).toEqual([
        'saddle-point: gradient noise, lr 0.05',
        'saddle-point: momentum 0.9, lr 0.05',
        'saddle-point: plain descent, lr 0.05',
      ]);
      expect(runs.every((r) => r.status === 'ended')).toBe(true);
      serve.child.kill('SIGINT');
      const result = await serve.done;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('stopping the server');
    } finally {
      serve.child.kill('SIGKILL');
    }
  }, 60_000);

  it('runs: an unreachable server is named', async () => {
    const result = await runCli(['runs', 'list', '--server', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the server at http://127.0.0.1:9');
  });

  it('without a server, prints each experiment with its learning curves', async () => {
    const result = await runCli(['demo', '--no-server', '--only', 'line-and-cubic']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Fitting a line and a cubic');
    expect(result.stdout).toMatch(/line, 20 steps at lr 0\.01 +completed +20 steps/);
    expect(result.stdout).toMatch(/[▁▂▃▄▅▆▇█]{20}/);
  });

  it('names an unknown experiment and lists the known ones', async () => {
    const result = await runCli(['demo', '--no-server', '--only', 'rosenbrok']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown experiment "rosenbrok" (known: line-and-cubic, learning-rates');
  });
});
