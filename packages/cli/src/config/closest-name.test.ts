import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest-name.js';

describe('closestName', () => {
  it('computes the Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it("suggests the names of the issue's examples", () => {
    expect(closestName('learning_rate', ['name', 'learningRate', 'momentum', 'nesterov'])).toBe(
      'learningRate',
    );
    expect(closestName('epoch', ['name', 'seed', 'epochs', 'steps'])).toBe('epochs');
    expect(
      closestName('cosine', ['constant', 'cosine-decay', 'cosine-annealing', 'cosine-warm-restarts']),
    ).toBe('cosine-decay');
    expect(closestName('adamm', ['sgd', 'momentum', 'adam', 'adamw'])).toBe('adam');
  });

  it('stays quiet when nothing is close', () => {
    expect(closestName('banana', ['sgd', 'adam', 'rmsprop'])).toBeUndefined();
    expect(closestName('x', ['epochs', 'steps'])).toBeUndefined();
    expect(closestName('', ['a'])).toBeUndefined();
  });
});
