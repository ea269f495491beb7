import { describe, expect, it } from 'vitest';
import { oneCycle } from './one-cycle.js';
import { expectValues } from './test-close.js';

describe('oneCycle', () => {
  it('two-phase cos: PyTorch OneCycleLR phases end at pct * T - 1 and T - 1', () => {
    // max 1, T 10, pct 0.3: initial 1/25 = 0.04, final 0.04 / 1e4 = 4e-6; phase ends at 2 and 9.
    // cos anneal(start, end, p) = end + (start - end) / 2 * (1 + cos(pi p)).
    // step 1: p = 1/2 -> 1 + (0.04 - 1) / 2 = 0.52. Phase 2, step 2 + 7 * k: p = k.
    const { learningRate, momentum } = oneCycle({ max: 1, totalSteps: 10 });
    expectValues(learningRate, {
      0: 0.04,
      1: 0.52,
      2: 1,
      3: 4e-6 + ((1 - 4e-6) / 2) * (1 + Math.cos(Math.PI / 7)),
      9: 4e-6,
      50: 4e-6, // holds after the cycle
    });
    // momentum: 0.95 -> 0.85 over phase 1 (0.9 at p = 1/2), back to 0.95 at the end.
    expectValues(momentum, { 0: 0.95, 1: 0.9, 2: 0.85, 9: 0.95 });
  });

  it('two-phase linear with a phase end between steps (pct * T not an integer)', () => {
    // T 7, pct 0.3: phase 1 ends at 2.1 - 1 = 1.1 (float, as in PyTorch). linear anneal = start + (end - start) p.
    // step 1: p = 1 / 1.1; step 2: phase 2 from 1.1 to 6, p = 0.9 / 4.9.
    const { learningRate } = oneCycle({ max: 1, totalSteps: 7, annealStrategy: 'linear' });
    expectValues(learningRate, {
      0: 0.04,
      1: 0.04 + 0.96 / 1.1,
      2: 1 + (4e-6 - 1) * (0.9 / 4.9),
      6: 4e-6,
    });
  });

  it('three-phase linear: up to max, symmetric back to the start, then down to the final rate', () => {
    // T 20, pct 0.25: phase ends at 4, 2 * 5 - 2 = 8, and 19.
    const { learningRate, momentum } = oneCycle({
      max: 1,
      totalSteps: 20,
      pctStart: 0.25,
      threePhase: true,
      annealStrategy: 'linear',
    });
    expectValues(learningRate, {
      0: 0.04,
      2: 0.52,
      4: 1,
      6: 0.52,
      8: 0.04,
      // phase 3: 0.04 -> 4e-6 over 11 steps; step 13 is p = 5/11.
      13: 0.04 + (4e-6 - 0.04) * (5 / 11),
      19: 4e-6,
    });
    expectValues(momentum, { 0: 0.95, 2: 0.9, 4: 0.85, 8: 0.95, 13: 0.95, 19: 0.95 });
  });

  it('names pctStart and the range that keeps every phase non-empty', () => {
    expect(() => oneCycle({ max: 1, totalSteps: 10, pctStart: 0.1 })).toThrow(
      'oneCycle: pctStart must be a finite number in (0.1, 1), got 0.1',
    );
    expect(() => oneCycle({ max: 1, totalSteps: 10, pctStart: 0.6, threePhase: true })).toThrow(
      'oneCycle: pctStart must be a finite number in (0.1, 0.55), got 0.6',
    );
    expect(() => oneCycle({ max: 1, totalSteps: 1 })).toThrow(
      'oneCycle: totalSteps must be an integer >= 2, got 1',
    );
  });
});
