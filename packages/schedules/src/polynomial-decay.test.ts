import { describe, expect, it } from 'vitest';
import { polynomialDecay } from './polynomial-decay.js';
import { expectValues } from './test-close.js';

describe('polynomialDecay', () => {
  it("matches PyTorch PolynomialLR's documented example (lr 0.001, total_iters 4, power 1)", () => {
    // PolynomialLR docs: 0.001, 0.00075, 0.0005, 0.00025, then 0.0 from epoch 4 on.
    expectValues(polynomialDecay({ initial: 0.001, transitionSteps: 4 }), {
      0: 0.001,
      1: 0.00075,
      2: 0.0005,
      3: 0.00025,
      4: 0,
      10: 0,
    });
    // power 2: base * (1 - 1/4)^2 = 0.001 * 0.5625.
    expectValues(polynomialDecay({ initial: 0.001, transitionSteps: 4, power: 2 }), { 1: 0.0005625 });
  });

  it("follows Optax polynomial_schedule's end value and transition_begin", () => {
    // (init - end) * (1 - count / steps)^power + end with init 1, end 0.1, power 2, steps 10:
    // count 5 -> 0.9 * 0.25 + 0.1 = 0.325; begin 3 shifts it to step 8.
    expectValues(polynomialDecay({ initial: 1, end: 0.1, power: 2, transitionSteps: 10 }), {
      5: 0.325,
      10: 0.1,
      20: 0.1,
    });
    expectValues(
      polynomialDecay({ initial: 1, end: 0.1, power: 2, transitionSteps: 10, transitionBegin: 3 }),
      {
        0: 1,
        3: 1,
        8: 0.325,
      },
    );
  });

  it('validates', () => {
    expect(() => polynomialDecay({ initial: 1, transitionSteps: 4, power: 0 })).toThrow(
      'polynomialDecay: power must be a finite number > 0, got 0',
    );
  });
});
