import { describe, expect, it } from 'vitest';
import { oneCycle } from './one-cycle.js';
import { sampleSchedule } from './sample-schedule.js';
import { stepDecay } from './step-decay.js';

describe('sampleSchedule', () => {
  it('samples evenly spaced steps into typed arrays for a chart', () => {
    const { steps, values } = sampleSchedule(stepDecay({ initial: 1, stepSize: 2, gamma: 0.5 }), {
      count: 4,
      start: 1,
      every: 2,
    });
    expect(Array.from(steps)).toEqual([1, 3, 5, 7]);
    expect(Array.from(values)).toEqual([1, 0.5, 0.25, 0.125]);
    expect(Array.from(sampleSchedule(0.3, { count: 2 }).values)).toEqual([0.3, 0.3]);
  });

  it('samples a whole one-cycle run, starting and ending where PyTorch does', () => {
    const { values } = sampleSchedule(oneCycle({ max: 0.1, totalSteps: 1000 }).learningRate, { count: 1000 });
    expect(values[0]).toBeCloseTo(0.1 / 25, 15);
    expect(Math.max(...values)).toBeCloseTo(0.1, 15);
    expect(values[999]).toBeCloseTo(0.1 / 25 / 1e4, 15);
  });

  it('validates', () => {
    expect(() => sampleSchedule(1, { count: -1 })).toThrow(
      'sampleSchedule: count must be an integer >= 0, got -1',
    );
  });
});
