import { describe, expect, it } from 'vitest';
import { clamp } from './clamp.js';
import { linear } from './linear.js';

describe('clamp', () => {
  it('keeps a schedule inside [min, max]', () => {
    const s = clamp(linear({ initial: 0, end: 1, transitionSteps: 10 }), { min: 0.2, max: 0.7 });
    expect([0, 2, 5, 7, 10].map(s)).toEqual([0.2, 0.2, 0.5, 0.7, 0.7]);
    expect(s.description).toMatchObject({ name: 'clamp', min: 0.2, max: 0.7, schedule: { name: 'linear' } });
  });

  it('rejects max below min', () => {
    expect(() => clamp(linear({ initial: 0, end: 1, transitionSteps: 1 }), { min: 1, max: 0.5 })).toThrow(
      'clamp: max must be a finite number >= 1, got 0.5',
    );
  });
});
