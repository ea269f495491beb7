import { describe, expect, it } from 'vitest';
import type { Experiment } from '../experiments/experiment.js';
import { type LoopRun, startLiveLoop } from './live-loop.js';

/** A run the test ends by hand. */
function manualRun(id: string): LoopRun & { end(): void; detached: boolean } {
  let end!: () => void;
  const done = new Promise<void>((resolve) => {
    end = resolve;
  });
  const run = {
    runId: Promise.resolve(id),
    done,
    detached: false,
    end,
    detach() {
      run.detached = true;
      end();
    },
  };
  return run;
}

const experiment: Experiment = {
  name: 'x',
  title: 'x',
  description: 'x',
  runs: () => [
    { label: 'a', spec: {} as never },
    { label: 'b', spec: {} as never },
  ],
};

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('startLiveLoop', () => {
  it('starts a new round when one ends, keeps the last rounds and stops the running one', async () => {
    const started: ReturnType<typeof manualRun>[] = [];
    const removed: string[] = [];
    const loop = startLiveLoop({
      experiment,
      attach: (run, meta) => {
        const r = manualRun(`${meta.round}-${run.label}`);
        started.push(r);
        return r;
      },
      removeRun: async (id) => void removed.push(id),
    });
    await tick();
    expect(started.map((r) => r.runId)).toHaveLength(2);
    // Round 1 ends: round 2 starts, nothing removed yet (2 rounds kept).
    for (const r of started) r.end();
    await tick();
    await tick();
    expect(started).toHaveLength(4);
    expect(removed).toEqual([]);
    // Round 2 ends: round 1 is removed before round 3 starts.
    started[2]!.end();
    started[3]!.end();
    await tick();
    await tick();
    await tick();
    expect(removed).toEqual(['1-a', '1-b']);
    expect(started).toHaveLength(6);
    await loop.stop();
    expect(started[4]!.detached && started[5]!.detached).toBe(true);
    expect(started).toHaveLength(6);
  });

  it('refuses a keepRounds below 1', () => {
    expect(() =>
      startLiveLoop({ experiment, attach: () => manualRun('x'), removeRun: async () => {}, keepRounds: 0 }),
    ).toThrow(/keepRounds must be an integer >= 1, got 0/);
  });
});
