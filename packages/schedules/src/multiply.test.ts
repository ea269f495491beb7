import { describe, expect, it } from 'vitest';
import { cosineDecay } from './cosine-decay.js';
import { exponentialDecay } from './exponential-decay.js';
import { multiply } from './multiply.js';
import { expectValues } from './test-close.js';

describe('multiply', () => {
  it('is the pointwise product of schedules and numbers', () => {
    // 0.1 * cosine shape (1 at 0, 1/2 at 2 of 4) * 0.5^step.
    const s = multiply(
      0.1,
      cosineDecay({ initial: 1, decaySteps: 4 }),
      exponentialDecay({ initial: 1, gamma: 0.5 }),
    );
    expectValues(s, { 0: 0.1, 2: 0.1 * 0.5 * 0.25, 4: 0 });
    expect(s.description).toEqual({
      name: 'multiply',
      factors: [
        { name: 'constant', value: 0.1 },
        { name: 'cosineDecay', initial: 1, decaySteps: 4, alpha: 0, exponent: 1 },
        {
          name: 'exponentialDecay',
          initial: 1,
          gamma: 0.5,
          transitionSteps: 1,
          transitionBegin: 0,
          staircase: false,
        },
      ],
    });
    expect(multiply((t) => t + 1).description).toEqual({ name: 'multiply', factors: [{ name: 'function' }] });
  });

  it('needs a factor', () => {
    expect(() => multiply()).toThrow('multiply: needs at least one factor');
  });
});
