import { describe, expect, it } from 'vitest';
import { cosineAnnealing } from './cosine-annealing.js';
import { linear } from './linear.js';
import { sequence } from './sequence.js';
import { swa } from './swa.js';
import { expectValues } from './test-close.js';

describe('sequence', () => {
  it('plays segments for their lengths: warm-up, cosine, then the SWA anneal', () => {
    // 2 warm-up steps 0 -> 0.1, 4 cosine steps from 0.1 (T_max 4, so 0.05 two steps in), then SWA
    // from 0.05 to 0.01 over 2 steps (cos: half-way at its step 1 -> 0.03).
    const s = sequence([
      { schedule: linear({ initial: 0, end: 0.1, transitionSteps: 2 }), steps: 2 },
      { schedule: cosineAnnealing({ initial: 0.1, period: 4 }), steps: 4 },
      { schedule: swa({ initial: 0.05, swaRate: 0.01, annealSteps: 2 }) },
    ]);
    expectValues(s, { 0: 0, 1: 0.05, 2: 0.1, 4: 0.05, 6: 0.05, 7: 0.03, 8: 0.01, 100: 0.01 });
    expect(s.description?.name).toBe('join');
    expect(s.description?.boundaries).toEqual([2, 6]);
  });

  it('needs the length of every segment but the last', () => {
    expect(() => sequence([{ schedule: 1 }, { schedule: 2 }])).toThrow(
      'sequence: segments[0].steps must be an integer >= 1, got undefined',
    );
  });
});
