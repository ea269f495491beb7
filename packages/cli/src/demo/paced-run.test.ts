import { describe, expect, it } from 'vitest';
import { batchSizes } from '../experiments/batch-sizes.js';
import { rosenbrockRace } from '../experiments/rosenbrock-race.js';
import { runLength, stepsPerSecondOf } from './paced-run.js';

describe('demo pacing', () => {
  it('knows how many steps a run takes, by steps or by epochs x batches', () => {
    expect(batchSizes.runs().map(runLength)).toEqual([30, 300, 3000]);
    expect(rosenbrockRace.runs().map(runLength)).toEqual([3000, 3000, 3000, 3000]);
  });

  it('stretches every run over about the same time, within 2 and 1000 steps a second', () => {
    const [batch, mini, stochastic] = batchSizes.runs();
    expect(stepsPerSecondOf(mini!, { seconds: 30 })).toBe(10);
    expect(stepsPerSecondOf(stochastic!, { seconds: 30 })).toBe(100);
    expect(stepsPerSecondOf(batch!, { seconds: 30 })).toBe(2);
    expect(stepsPerSecondOf(stochastic!, { seconds: 1 })).toBe(1000);
    expect(stepsPerSecondOf(batch!, { stepsPerSecond: 7 })).toBe(7);
  });
});
