import { describe, expect, it } from 'vitest';
import { categorical } from './categorical.js';
import { checkSpace, isActive } from './check-space.js';
import { conditional } from './conditional.js';
import type { SearchSpace } from './domain.js';
import { fixed } from './fixed.js';
import { integer } from './integer.js';
import { logUniform } from './log-uniform.js';
import { uniform } from './uniform.js';

describe('checkSpace', () => {
  it('lists the parameters in order with their conditions, nested ones joined', () => {
    const space = checkSpace({
      optimizer: categorical(['sgd', 'adam']),
      learningRate: logUniform({ low: 1e-4, high: 1 }),
      momentum: conditional({
        parent: 'optimizer',
        values: ['sgd'],
        domain: uniform({ low: 0, high: 0.99 }),
      }),
      nesterov: conditional({ parent: 'optimizer', values: ['sgd'], domain: categorical([true, false]) }),
      dampening: conditional({ parent: 'nesterov', values: [false], domain: uniform({ low: 0, high: 0.5 }) }),
      epochs: fixed(10),
    });
    expect(space.map((p) => p.name)).toEqual([
      'optimizer',
      'learningRate',
      'momentum',
      'nesterov',
      'dampening',
      'epochs',
    ]);
    expect(space[2]!.conditions).toEqual([{ parent: 'optimizer', values: ['sgd'] }]);
    expect(space[4]!.conditions).toEqual([
      { parent: 'optimizer', values: ['sgd'] },
      { parent: 'nesterov', values: [false] },
    ]);
    expect(isActive(space[2]!, { optimizer: 'sgd' })).toBe(true);
    expect(isActive(space[2]!, { optimizer: 'adam' })).toBe(false);
    expect(isActive(space[4]!, { optimizer: 'sgd', nesterov: false })).toBe(true);
    expect(isActive(space[4]!, { optimizer: 'adam' })).toBe(false);
  });

  it.each<[string, SearchSpace, string]>([
    [
      'reversed range',
      { lr: uniform({ low: 1, high: 0 }) },
      'parameter "lr": uniform needs low < high, got low 1, high 0',
    ],
    [
      'non-finite bound',
      { lr: uniform({ low: 0, high: Number.NaN }) },
      'parameter "lr": uniform high must be a finite number',
    ],
    [
      'log of zero',
      { lr: logUniform({ low: 0, high: 1 }) },
      'parameter "lr": logUniform low must be > 0, got 0',
    ],
    [
      'fractional integer',
      { width: integer({ low: 1.5, high: 8 }) },
      'parameter "width": integer bounds must be integers',
    ],
    [
      'log integer from 0',
      { width: integer({ low: 0, high: 8, log: true }) },
      'parameter "width": integer with log needs low >= 1',
    ],
    ['empty categorical', { opt: categorical([]) }, 'parameter "opt": categorical needs at least one choice'],
    [
      'repeated choice',
      { opt: categorical(['sgd', 'sgd']) },
      'parameter "opt": categorical choice "sgd" appears twice',
    ],
    [
      'unknown parent',
      { m: conditional({ parent: 'opt', values: ['sgd'], domain: uniform({ low: 0, high: 1 }) }) },
      'parameter "m": its condition\'s parent "opt" is not in the space',
    ],
    [
      'parent declared later',
      {
        m: conditional({ parent: 'opt', values: ['sgd'], domain: uniform({ low: 0, high: 1 }) }),
        opt: categorical(['sgd']),
      },
      'parameter "m": its condition\'s parent "opt" must be declared before it',
    ],
    [
      'numeric parent',
      {
        lr: uniform({ low: 0, high: 1 }),
        m: conditional({ parent: 'lr', values: [0.5], domain: uniform({ low: 0, high: 1 }) }),
      },
      'parameter "m": its condition\'s parent "lr" must be categorical or fixed, got uniform',
    ],
    [
      'value the parent cannot take',
      {
        opt: categorical(['sgd', 'adam']),
        m: conditional({ parent: 'opt', values: ['rmsprop'], domain: uniform({ low: 0, high: 1 }) }),
      },
      'parameter "m": its condition on "opt" names "rmsprop", which "opt" cannot take',
    ],
    ['unknown kind', { x: { kind: 'normal' } as never }, 'parameter "x": unknown domain kind "normal"'],
  ])('rejects a %s with an error naming the parameter', (_case, space, message) => {
    expect(() => checkSpace(space)).toThrow(message);
  });

  it('rejects an empty space', () => {
    expect(() => checkSpace({})).toThrow('sweep space: has no parameters');
  });
});
