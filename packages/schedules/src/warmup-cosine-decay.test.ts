import { describe, expect, it } from 'vitest';
import { expectValues } from './test-close.js';
import { warmupCosineDecay } from './warmup-cosine-decay.js';

describe('warmupCosineDecay', () => {
  it('matches Optax warmup_cosine_decay_schedule', () => {
    // init 0, peak 1, warmup 4, decay_steps 12 (warm-up included), end 0.1 -> alpha 0.1:
    // warm-up 0, 0.25, 0.5, 0.75; then cosine over 8 steps: count 4 -> c = 1/2 -> 0.9 * 0.5 + 0.1 = 0.55.
    expectValues(warmupCosineDecay({ peak: 1, warmupSteps: 4, decaySteps: 12, end: 0.1 }), {
      0: 0,
      1: 0.25,
      2: 0.5,
      4: 1,
      6: 0.1 + (0.9 * (1 + Math.SQRT1_2)) / 2,
      8: 0.55,
      12: 0.1,
      1000: 0.1,
    });
  });

  it('with no warm-up is the cosine decay alone, and validates decaySteps against warmupSteps', () => {
    expectValues(warmupCosineDecay({ initial: 0, peak: 2, warmupSteps: 0, decaySteps: 4 }), {
      0: 2,
      2: 1,
      4: 0,
    });
    expect(() => warmupCosineDecay({ peak: 1, warmupSteps: 10, decaySteps: 10 })).toThrow(
      'warmupCosineDecay: decaySteps must be an integer >= 11, got 10',
    );
  });
});
