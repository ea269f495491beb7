import { describe, expect, it } from 'vitest';
import { describedSchedule } from './described-schedule.js';
import { descriptionOf } from './description-of.js';

describe('describedSchedule / descriptionOf', () => {
  it('attaches a frozen plain-data description that survives JSON', () => {
    const s = describedSchedule((t) => 1 / (t + 1), { name: 'harmonic', scale: 1 });
    expect(s(3)).toBe(0.25);
    expect(JSON.parse(JSON.stringify(s.description))).toEqual({ name: 'harmonic', scale: 1 });
    expect(Object.isFrozen(s.description)).toBe(true);
    expect(descriptionOf(s)).toBe(s.description);
    expect(descriptionOf(0.5)).toEqual({ name: 'constant', value: 0.5 });
    expect(descriptionOf((t) => t)).toEqual({ name: 'function' });
  });
});
