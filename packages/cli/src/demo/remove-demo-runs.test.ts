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
