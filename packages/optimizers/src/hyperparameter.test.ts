import { describe, expect, it } from 'vitest';
import { resolveDecayRate, resolveHyperparameter } from './hyperparameter.js';
import { testContext } from './test-context.js';

describe('resolveHyperparameter', () => {
  it('prefers the live override, else the number or the schedule at the step, and records it', () => {
    const ctx = testContext(4);
    expect(resolveHyperparameter(ctx, 'learningRate', 0.1)).toBe(0.1);
    expect(resolveHyperparameter(ctx, 'learningRate', (t) => 1 / (1 + t))).toBe(0.2);
    expect(ctx.current.learningRate).toBe(0.2);
    const live = testContext(4, { learningRate: 0.05 });
    expect(resolveHyperparameter(live, 'learningRate', (t) => 1 / (1 + t))).toBe(0.05);
    expect(live.current.learningRate).toBe(0.05);
  });
});

describe('resolveDecayRate', () => {
  it('refuses a live beta outside [0, 1), naming it', () => {
    expect(resolveDecayRate(testContext(0, { beta1: 0.5 }), 'scaleByAdam', 'beta1', 0.9)).toBe(0.5);
    expect(() => resolveDecayRate(testContext(3, { beta1: 1 }), 'scaleByAdam', 'beta1', 0.9)).toThrow(
      'scaleByAdam: live beta1 must be in [0, 1), got 1 (set at step 3)',
    );
    expect(resolveDecayRate(testContext(0, { beta2: 1 }), 'scaleByLion', 'beta2', 0.99, true)).toBe(1);
  });
});
