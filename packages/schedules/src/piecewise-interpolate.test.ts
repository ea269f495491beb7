import { describe, expect, it } from 'vitest';
import { cosineOnecycle } from './cosine-onecycle.js';
import { oneCycle } from './one-cycle.js';
import { piecewiseInterpolate } from './piecewise-interpolate.js';
import { expectValues } from './test-close.js';

describe('piecewiseInterpolate (Optax piecewise_interpolate_schedule)', () => {
  it("Optax's documented example: linear from 1, {4: 0.1, 8: 0.01}", () => {
    // optax.piecewise_interpolate_schedule docstring: steps 0, 2, 4, 6, 8, 10 give
    // 1.0, 0.55, 0.1, 0.0505, 0.001, 0.001.
    expectValues(
      piecewiseInterpolate({ interpolation: 'linear', initial: 1, boundariesAndScales: { 4: 0.1, 8: 0.01 } }),
      { 0: 1, 2: 0.55, 4: 0.1, 6: 0.0505, 8: 0.001, 10: 0.001 },
    );
  });

  it('cosine: v_i + (v_{i-1} - v_i) (1 + cos(pi pct)) / 2, boundaries given in any order', () => {
    // Bounds (0, 4, 8), values (1, 0.5, 0.05).
    expectValues(
      piecewiseInterpolate({ interpolation: 'cosine', initial: 1, boundariesAndScales: { 8: 0.1, 4: 0.5 } }),
      {
        0: 1,
        2: 0.75,
        4: 0.5,
        6: 0.275,
        7: 0.05 + (0.45 * (1 + Math.cos((Math.PI * 3) / 4))) / 2,
        9: 0.05,
      },
    );
  });

  it('no boundaries: constant; refuses a negative scale and an unknown interpolation', () => {
    expectValues(piecewiseInterpolate({ interpolation: 'linear', initial: 0.3 }), { 0: 0.3, 50: 0.3 });
    expect(() =>
      piecewiseInterpolate({ interpolation: 'linear', initial: 1, boundariesAndScales: { 3: -1 } }),
    ).toThrow('piecewiseInterpolate: scale at 3 must be a finite number >= 0, got -1');
    expect(() => piecewiseInterpolate({ interpolation: 'cubic' as 'linear', initial: 1 })).toThrow(
      "piecewiseInterpolate: interpolation must be one of 'linear', 'cosine', got \"cubic\"",
    );
  });
});

describe('cosineOnecycle (Optax cosine_onecycle_schedule)', () => {
  it('T = 10, peak 1: starts at 1/25, peaks at step 3, ends at 1/25/1e4 at step 10', () => {
    // Bounds (0, 3, 10), values (0.04, 1, 4e-6).
    expectValues(cosineOnecycle({ transitionSteps: 10, peak: 1 }), {
      0: 0.04,
      1: 1 - (0.96 * (1 + Math.cos(Math.PI / 3))) / 2,
      3: 1,
      10: 4e-6,
      20: 4e-6,
    });
  });

  it("peaks one step later than PyTorch's OneCycleLR (oneCycle)", () => {
    const optax = cosineOnecycle({ transitionSteps: 10, peak: 1 });
    const torch = oneCycle({ max: 1, totalSteps: 10 }).learningRate;
    expect(torch(2)).toBeCloseTo(1, 15);
    expect(optax(2)).toBeLessThan(1);
    expect(optax(3)).toBeCloseTo(1, 15);
  });
});
