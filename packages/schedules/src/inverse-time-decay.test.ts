import { describe, expect, it } from 'vitest';
import { inverseTimeDecay } from './inverse-time-decay.js';
import { expectValues } from './test-close.js';

describe('inverseTimeDecay', () => {
  it("matches Keras InverseTimeDecay's formula initial / (1 + decay_rate * step / decay_steps)", () => {
    // 0.1 / (1 + 0.5 * 1) = 0.0666..., 0.1 / (1 + 0.5 * 2) = 0.05, 0.1 / (1 + 0.5 * 10) = 0.01666...
    expectValues(inverseTimeDecay({ initial: 0.1, decayRate: 0.5 }), {
      0: 0.1,
      1: 0.1 / 1.5,
      2: 0.05,
      10: 0.1 / 6,
    });
    // staircase, decay_steps 10: floor(19 / 10) = 1 -> 0.1 / 1.5; floor(20 / 10) = 2 -> 0.05.
    expectValues(inverseTimeDecay({ initial: 0.1, decayRate: 0.5, decaySteps: 10, staircase: true }), {
      9: 0.1,
      19: 0.1 / 1.5,
      20: 0.05,
    });
  });

  it('rejects a negative rate', () => {
    expect(() => inverseTimeDecay({ initial: 1, decayRate: -0.1 })).toThrow(
      'inverseTimeDecay: decayRate must be a finite number >= 0, got -0.1',
    );
  });
});
