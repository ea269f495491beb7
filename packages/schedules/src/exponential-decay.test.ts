import { describe, expect, it } from 'vitest';
import { exponentialDecay } from './exponential-decay.js';
import { expectValues } from './test-close.js';

describe('exponentialDecay', () => {
  it('is PyTorch ExponentialLR with the defaults: base_lr * gamma ** last_epoch', () => {
    // 0.1 * 0.9^1 = 0.09, 0.1 * 0.9^2 = 0.081, 0.1 * 0.9^3 = 0.0729, 0.1 * 0.9^10 = 0.034867844010.
    expectValues(exponentialDecay({ initial: 0.1, gamma: 0.9 }), {
      0: 0.1,
      1: 0.09,
      2: 0.081,
      3: 0.0729,
      10: 0.03486784401,
    });
  });

  it("follows Optax exponential_decay's transition_begin, staircase and end_value", () => {
    // init 1, decay_rate 0.5, transition_steps 10, transition_begin 5, staircase, end_value 0.2:
    // count = step - 5; p = floor(count / 10); value = max(0.5^p, 0.2) and init before the begin.
    expectValues(
      exponentialDecay({
        initial: 1,
        gamma: 0.5,
        transitionSteps: 10,
        transitionBegin: 5,
        staircase: true,
        end: 0.2,
      }),
      { 0: 1, 5: 1, 14: 1, 15: 0.5, 24: 0.5, 25: 0.25, 35: 0.2, 500: 0.2 },
    );
    // Continuous: step 10 has count 5, p = 0.5, value 0.5^0.5 = sqrt(1/2) = 0.7071067811865476.
    expectValues(exponentialDecay({ initial: 1, gamma: 0.5, transitionSteps: 10, transitionBegin: 5 }), {
      10: Math.SQRT1_2,
    });
    // gamma > 1 makes `end` a ceiling: 1 * 2^2 = 4 capped at 3.
    expectValues(exponentialDecay({ initial: 1, gamma: 2, end: 3 }), { 1: 2, 2: 3 });
  });

  it('names the bad parameter and its range', () => {
    expect(() => exponentialDecay({ initial: 1, gamma: 0 })).toThrow(
      'exponentialDecay: gamma must be a finite number > 0, got 0',
    );
    expect(() => exponentialDecay({ initial: 1, gamma: 0.5, transitionSteps: 0 })).toThrow(
      'exponentialDecay: transitionSteps must be an integer >= 1, got 0',
    );
  });
});
