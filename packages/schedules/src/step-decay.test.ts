import { describe, expect, it } from 'vitest';
import { stepDecay } from './step-decay.js';
import { expectValues } from './test-close.js';

describe('stepDecay', () => {
  it("matches PyTorch StepLR's documented example (lr 0.05, step_size 30, gamma 0.1)", () => {
    // torch.optim.lr_scheduler.StepLR docs: 0.05 for epoch < 30, 0.005 for 30 <= epoch < 60,
    // 0.0005 for 60 <= epoch < 90; closed form base_lr * gamma ** (last_epoch // step_size).
    expectValues(stepDecay({ initial: 0.05, stepSize: 30, gamma: 0.1 }), {
      0: 0.05,
      29: 0.05,
      30: 0.005,
      59: 0.005,
      60: 0.0005,
      89: 0.0005,
      90: 0.00005,
    });
  });

  it('describes itself and validates its parameters', () => {
    expect(stepDecay({ initial: 1, stepSize: 3 }).description).toEqual({
      name: 'stepDecay',
      initial: 1,
      stepSize: 3,
      gamma: 0.1,
    });
    expect(() => stepDecay({ initial: 1, stepSize: 0 })).toThrow(
      'stepDecay: stepSize must be an integer >= 1, got 0',
    );
    expect(() => stepDecay({ initial: 1, stepSize: 2.5 })).toThrow(
      'stepDecay: stepSize must be an integer >= 1, got 2.5',
    );
    expect(() => stepDecay({ initial: 1, stepSize: 2, gamma: -1 })).toThrow(
      'stepDecay: gamma must be a finite number >= 0, got -1',
    );
  });
});
