import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';
import { join } from './join.js';
import { linear } from './linear.js';
import { expectValues } from './test-close.js';

describe('join', () => {
  it('hands over at each boundary, each piece counting steps from its own start (Optax join_schedules)', () => {
    // [linear 0 -> 1 over 4, constant 1, linear 1 -> 0 over 10] at boundaries [4, 6]:
    // step 2 -> 0.5; steps 4, 5 -> 1; step 6 is piece 3's step 0 -> 1; step 11 its step 5 -> 0.5.
    const s = join({
      schedules: [
        linear({ initial: 0, end: 1, transitionSteps: 4 }),
        1,
        linear({ initial: 1, end: 0, transitionSteps: 10 }),
      ],
      boundaries: [4, 6],
    });
    expectValues(s, { 0: 0, 2: 0.5, 3: 0.75, 4: 1, 5: 1, 6: 1, 11: 0.5, 16: 0, 99: 0 });
    expect(JSON.parse(JSON.stringify(s.description))).toEqual({
      name: 'join',
      schedules: [
        { name: 'linear', initial: 0, end: 1, transitionSteps: 4, transitionBegin: 0 },
        { name: 'constant', value: 1 },
        { name: 'linear', initial: 1, end: 0, transitionSteps: 10, transitionBegin: 0 },
      ],
      boundaries: [4, 6],
    });
  });

  it('names what is wrong with the boundaries', () => {
    expect(() => join({ schedules: [constant(1), constant(2)], boundaries: [] })).toThrow(
      'join: boundaries must hold 1 step(s), one fewer than schedules, got 0',
    );
    expect(() => join({ schedules: [1, 2, 3], boundaries: [5, 5] })).toThrow(
      'join: boundaries[1] must be an integer >= 6, got 5',
    );
    expect(() => join({ schedules: [1, 'x' as never], boundaries: [1] })).toThrow(
      'join: schedules[1] must be a finite number or a schedule (step -> value), got x',
    );
  });
});
