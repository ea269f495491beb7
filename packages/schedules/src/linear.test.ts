import { describe, expect, it } from 'vitest';
import { linear } from './linear.js';
import { expectValues } from './test-close.js';

describe('linear', () => {
  it("reproduces PyTorch LinearLR's documented example (lr 0.05, start_factor 0.5, total_iters 4)", () => {
    // LinearLR docs: 0.025, 0.03125, 0.0375, 0.04375, then 0.05 from epoch 4 on;
    // closed form base * (start + (end - start) * min(total, epoch) / total).
    expectValues(linear({ initial: 0.05 * 0.5, end: 0.05, transitionSteps: 4 }), {
      0: 0.025,
      1: 0.03125,
      2: 0.0375,
      3: 0.04375,
      4: 0.05,
      100: 0.05,
    });
  });

  it("follows Optax linear_schedule's transition_begin", () => {
    // init 0, end 1, transition_steps 4, transition_begin 2: 0 until step 2, 0.5 at step 4, 1 from 6.
    expectValues(linear({ initial: 0, end: 1, transitionSteps: 4, transitionBegin: 2 }), {
      0: 0,
      2: 0,
      4: 0.5,
      6: 1,
      9: 1,
    });
  });

  it('validates', () => {
    expect(() => linear({ initial: 0, end: 1, transitionSteps: 0 })).toThrow(
      'linear: transitionSteps must be an integer >= 1, got 0',
    );
  });
});
