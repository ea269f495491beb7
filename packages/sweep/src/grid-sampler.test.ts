import { describe, expect, it } from 'vitest';
import { categorical } from './categorical.js';
import { checkSpace } from './check-space.js';
import { conditional } from './conditional.js';
import type { Config } from './domain.js';
import { fixed } from './fixed.js';
import { gridSampler } from './grid-sampler.js';
import { integer } from './integer.js';
import { logUniform } from './log-uniform.js';
import { uniform } from './uniform.js';

const all = (sampler: ReturnType<typeof gridSampler>, space: ReturnType<typeof checkSpace>) => {
  const out: Config[] = [];
  for (let index = 0; ; index++) {
    const c = sampler.suggest({ space, index, history: [] });
    if (c === undefined) return out;
    out.push(c);
  }
};

describe('gridSampler', () => {
  it('covers the grid once, the last parameter fastest, then is exhausted', () => {
    const space = checkSpace({
      learningRate: logUniform({ low: 0.001, high: 0.1 }),
      momentum: uniform({ low: 0, high: 0.9 }),
      layers: integer({ low: 1, high: 2 }),
      epochs: fixed(3),
    });
    const configs = all(gridSampler({ steps: { learningRate: 3, momentum: 4 } }), space);
    const expected: { learningRate: number; momentum: number; layers: number; epochs: number }[] = [];
    for (const learningRate of [0.001, 0.01, 0.1])
      for (const momentum of [0, 0.3, 0.6, 0.9])
        for (const layers of [1, 2]) expected.push({ learningRate, momentum, layers, epochs: 3 });
    expect(configs).toHaveLength(24);
    configs.forEach((c, i) => {
      const e = expected[i]!;
      expect(c.learningRate).toBeCloseTo(e.learningRate, 15);
      expect(c.momentum).toBeCloseTo(e.momentum, 15);
      expect(c.layers).toBe(e.layers);
      expect(c.epochs).toBe(3);
    });
    // The end points are exact.
    expect(configs[0]!.learningRate).toBe(0.001);
    expect(configs[23]!.learningRate).toBe(0.1);
    expect(configs[23]!.momentum).toBe(0.9);
  });

  it('expands a conditional parameter only under the values that enable it', () => {
    const space = checkSpace({
      optimizer: categorical(['sgd', 'adam']),
      momentum: conditional({ parent: 'optimizer', values: ['sgd'], domain: uniform({ low: 0, high: 0.9 }) }),
    });
    expect(all(gridSampler({ steps: 2 }), space)).toEqual([
      { optimizer: 'sgd', momentum: 0 },
      { optimizer: 'sgd', momentum: 0.9 },
      { optimizer: 'adam' },
    ]);
  });

  it('spaces log integers geometrically and keeps each integer once', () => {
    const space = checkSpace({ width: integer({ low: 1, high: 1000, log: true }) });
    expect(all(gridSampler({ steps: 4 }), space)).toEqual([
      { width: 1 },
      { width: 10 },
      { width: 100 },
      { width: 1000 },
    ]);
    const narrow = checkSpace({ width: integer({ low: 1, high: 2 }) });
    expect(all(gridSampler({ steps: 5 }), narrow)).toEqual([{ width: 1 }, { width: 2 }]);
  });

  it('names a real range without a grid size', () => {
    const space = checkSpace({ lr: logUniform({ low: 1e-3, high: 1 }) });
    expect(() => gridSampler().suggest({ space, index: 0, history: [] })).toThrow(
      'gridSampler: "lr" is a logUniform range: give its number of grid points in steps',
    );
    expect(() => gridSampler({ steps: { lr: 1 } }).suggest({ space, index: 0, history: [] })).toThrow(
      'gridSampler: steps for "lr" must be an integer >= 2, got 1',
    );
  });
});
