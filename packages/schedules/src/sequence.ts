import type { Schedule, ScheduleLike } from '@downhill/core';
import { checkParameter } from './check-parameter.js';
import { join } from './join.js';

/** One piece of a sequence: a schedule and how many steps it runs (the last piece runs for ever). */
export interface Segment {
  readonly schedule: ScheduleLike;
  readonly steps?: number;
}

/**
 * Pieces played one after the other for given numbers of steps: `join` with the boundaries at the
 * running sums of `steps`. Each piece sees steps counted from its own start.
 * Example: `sequence([{ schedule: warm, steps: 100 }, { schedule: cosine }])`.
 */
export function sequence(segments: readonly Segment[]): Schedule {
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new RangeError('sequence: segments must be a non-empty array of { schedule, steps }');
  }
  const boundaries: number[] = [];
  let at = 0;
  segments.slice(0, -1).forEach((segment, i) => {
    at += checkParameter('sequence', `segments[${i}].steps`, segment.steps, { integer: true, min: 1 });
    boundaries.push(at);
  });
  return join({ schedules: segments.map((s) => s.schedule), boundaries });
}
