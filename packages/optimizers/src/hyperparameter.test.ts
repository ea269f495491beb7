import { describe, expect, it } from 'vitest';
import { resolveHyperparameter } from './hyperparameter.js';
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
