import { describe, expect, it } from 'vitest';
import { cosineOnecycle } from './cosine-onecycle.js';
import { oneCycle } from './one-cycle.js';
import { piecewiseInterpolate } from './piecewise-interpolate.js';
import { expectValues } from './test-close.js';

describe('piecewiseInterpolate (Optax piecewise_interpolate_schedule)', () => {
  // Bounds (-1, 4, 8), values (1, 0.5, 0.05): intervals of 5 and 4 steps.
  it('linear: step 0 is already 1/5 of the way (the first interval starts at -1)', () => {
    expectValues(
      piecewiseInterpolate({ interpolation: 'linear', initial: 1, boundariesAndScales: { 4: 0.5, 8: 0.1 } }),
      {
        0: 0.9,
        3: 0.6,
        4: 0.5,
        6: 0.275,
        8: 0.05,
        100: 0.05,
      },
    );
  });

  it('cosine: v_i + (v_{i-1} - v_i) (1 + cos(pi pct)) / 2', () => {
    expectValues(
      piecewiseInterpolate({ interpolation: 'cosine', initial: 1, boundariesAndScales: { 8: 0.1, 4: 0.5 } }),
      {
        0: 0.5 + (0.5 * (1 + Math.cos(Math.PI / 5))) / 2,
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
  it('T = 10, peak 1: starts near 1/25, peaks at step 3, ends at 1/25/1e4', () => {
    // values (0.04, 1, 4e-6) at bounds (-1, 3, 10): step 0 has pct 1/4.
    expectValues(cosineOnecycle({ transitionSteps: 10, peak: 1 }), {
      0: 1 - (0.96 * (1 + Math.cos(Math.PI / 4))) / 2,
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
