import { describe, expect, it } from 'vitest';
import { describedSchedule } from './described-schedule.js';
import { descriptionOf } from './description-of.js';
import { multiStep } from './multi-step.js';

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

  it('copies the description, so nested parameters cannot be changed from outside', () => {
    const milestones = [2, 4];
    const s = multiStep({ initial: 1, milestones, gamma: 0.5 });
    milestones.push(3);
    expect(s.description?.milestones).toEqual([2, 4]);
    expect(() => (s.description!.milestones as number[]).push(1)).toThrow(TypeError);
    expect(s(4)).toBe(0.25);
  });

  it('wraps a function that is already described instead of redescribing it', () => {
    const first = describedSchedule((t) => t, { name: 'identity' });
    const second = describedSchedule(first, { name: 'renamed' });
    expect(first.description).toEqual({ name: 'identity' });
    expect(second.description).toEqual({ name: 'renamed' });
    expect(second(7)).toBe(7);
  });
});
