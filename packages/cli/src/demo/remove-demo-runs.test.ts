import { describe, expect, it } from 'vitest';
import { isDemoRun, removeDemoRuns } from './remove-demo-runs.js';

describe('removeDemoRuns', () => {
  it('deletes the finished runs of earlier demos and nothing else', async () => {
    const runs = [
      { runId: 'seed', status: 'ended', meta: { demo: 'seed', experiment: 'x', run: 'a' } },
      { runId: 'loop', status: 'interrupted', meta: { demo: 'loop', round: 3 } },
      { runId: 'old-demo', status: 'ended', meta: { experiment: 'learning-rates', run: 'lr 0.1' } },
      { runId: 'live-demo', status: 'running', meta: { demo: 'seed' } },
      { runId: 'users-own', status: 'ended', meta: {} },
      { runId: 'published', status: 'ended', meta: { experiment: 'mine' } },
    ];
    const removed: string[] = [];
    const count = await removeDemoRuns({
      runs: async () => runs,
      removeRun: async (id) => void removed.push(id),
    });
    expect(removed).toEqual(['seed', 'loop', 'old-demo']);
    expect(count).toBe(3);
    expect(isDemoRun(runs[5]!)).toBe(false);
  });
});

describe('removeDemoRuns against a real server', () => {
  it("deletes an earlier demo's finished runs through the client, keeping the other runs", async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startServer } = await import('@downhill/server');
    const { connect } = await import('@downhill/client');
    const { train } = await import('@downhill/core');
    const { sgd } = await import('@downhill/optimizers');
    const dataDir = mkdtempSync(join(tmpdir(), 'downhill-demo-runs-'));
    const server = await startServer({ port: 0, dataDir, token: 'demo-test' });
    const client = connect(server.url, { token: 'demo-test' });
    try {
      const run = (name: string) => () =>
        train({
          objective: {
            dimension: 1,
            loss: (w: Float64Array, _b: unknown, g?: Float64Array) => {
              if (g) g[0] = 2 * w[0]!;
              return w[0]! ** 2;
            },
          },
          optimizer: sgd({ learningRate: 0.1 }),
          params: [1],
          steps: 5,
          config: { name },
        });
      const attached = [
        server.attach(run('seed a'), { demo: 'seed', experiment: 'x', run: 'a' }),
        server.attach(run('old demo b'), { experiment: 'x', run: 'b' }),
        server.attach(run('mine'), {}),
      ];
      await Promise.all(attached.map((a) => a.done));
      const removed = await removeDemoRuns({
        runs: async () => server.runs(),
        removeRun: (id) => client.deleteRun(id),
      });
      expect(removed).toBe(2);
      expect(server.runs().map((r) => r.name)).toEqual(['mine']);
    } finally {
      client.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
