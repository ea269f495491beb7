// Comparison helper for the schedule tests (not exported).
import { expect } from 'vitest';

/** Asserts |actual - expected| <= 1e-12 at every listed step, naming the step that fails. */
export function expectValues(
  schedule: (step: number) => number,
  expected: Record<number, number>,
  tolerance = 1e-12,
): void {
  for (const [step, value] of Object.entries(expected)) {
    const actual = schedule(Number(step));
    expect(Math.abs(actual - value), `step ${step}: got ${actual}, expected ${value}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}
