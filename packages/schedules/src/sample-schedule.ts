import type { ScheduleLike } from '@downhill/core';
import { checkParameter, checkScheduleLike } from './check-parameter.js';

export interface SampleOptions {
  /** Number of points. */
  readonly count: number;
  /** First step; default 0. */
  readonly start?: number;
  /** Steps between points; default 1. */
  readonly every?: number;
}

/** A schedule's values at evenly spaced steps, for plotting. */
export interface ScheduleSamples {
  readonly steps: Float64Array;
  readonly values: Float64Array;
}

/** Samples `schedule` at `start, start + every, ...` (`count` points) into arrays for a chart. */
export function sampleSchedule(schedule: ScheduleLike, options: SampleOptions): ScheduleSamples {
  checkScheduleLike('sampleSchedule', 'schedule', schedule);
  const { count, start = 0, every = 1 } = options;
  checkParameter('sampleSchedule', 'count', count, { integer: true, min: 0 });
  checkParameter('sampleSchedule', 'start', start, { integer: true, min: 0 });
  checkParameter('sampleSchedule', 'every', every, { integer: true, min: 1 });
  const steps = new Float64Array(count);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const step = start + i * every;
    steps[i] = step;
    values[i] = typeof schedule === 'number' ? schedule : schedule(step);
  }
  return { steps, values };
}
