import { describe, expect, it } from 'vitest';
import { abridge } from './runs-command.js';

describe('abridge', () => {
  it('cuts long lists anywhere in a value and leaves the rest alone', () => {
    const value = {
      name: 'x',
      landscape: { xs: [1, 2, 3, 4, 5], values: Array.from({ length: 100 }, (_, i) => i) },
    };
    expect(abridge(value, 3)).toEqual({
      name: 'x',
      landscape: { xs: [1, 2, 3, '... 2 more'], values: [0, 1, 2, '... 97 more'] },
    });
    expect(abridge([[1, 2], 'a', null], 3)).toEqual([[1, 2], 'a', null]);
  });
});
