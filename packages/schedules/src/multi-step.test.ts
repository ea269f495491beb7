import { describe, expect, it } from 'vitest';
import { multiStep } from './multi-step.js';
import { expectValues } from './test-close.js';

describe('multiStep', () => {
  it("matches PyTorch MultiStepLR's documented example (lr 0.05, milestones [30, 80], gamma 0.1)", () => {
    // MultiStepLR docs: 0.05 if epoch < 30, 0.005 if 30 <= epoch < 80, 0.0005 if epoch >= 80;
    // closed form base_lr * gamma ** bisect_right(milestones, last_epoch).
    expectValues(multiStep({ initial: 0.05, milestones: [30, 80], gamma: 0.1 }), {
      0: 0.05,
      29: 0.05,
      30: 0.005,
      79: 0.005,
      80: 0.0005,
      1000: 0.0005,
    });
  });

  it('validates the milestones one by one', () => {
    expect(() => multiStep({ initial: 1, milestones: [30, 20] })).toThrow(
      'multiStep: milestones[1] must be an integer >= 31, got 20',
    );
    expect(() => multiStep({ initial: 1, milestones: [0] })).toThrow(
      'multiStep: milestones[0] must be an integer >= 1, got 0',
    );
    expect(multiStep({ initial: 1, milestones: [2, 5], gamma: 0.5 }).description).toEqual({
      name: 'multiStep',
      initial: 1,
      milestones: [2, 5],
      gamma: 0.5,
    });
  });
});
