import { describe, expect, it } from 'vitest';
import { categorical } from './categorical.js';
import { checkSpace } from './check-space.js';
import { conditional } from './conditional.js';
import { fixed } from './fixed.js';
import { integer } from './integer.js';
import { logUniform } from './log-uniform.js';
import { randomSampler } from './random-sampler.js';
import { uniform } from './uniform.js';

const space = checkSpace({
  optimizer: categorical(['sgd', 'adam']),
  learningRate: logUniform({ low: 1e-4, high: 1 }),
  momentum: conditional({ parent: 'optimizer', values: ['sgd'], domain: uniform({ low: 0.5, high: 0.99 }) }),
  width: integer({ low: 8, high: 512, log: true }),
  layers: integer({ low: 1, high: 3 }),
  epochs: fixed(5),
});

const draw = (seed: number, n: number) =>
  Array.from({ length: n }, (_, index) => randomSampler({ seed }).suggest({ space, index, history: [] })!);

describe('randomSampler', () => {
  it('is reproducible from its seed, trial by trial, and differs across seeds', () => {
    expect(draw(3, 20)).toEqual(draw(3, 20));
    // A fresh sampler for trial 7 alone gives trial 7's config: nothing hidden carries over.
    expect(randomSampler({ seed: 3 }).suggest({ space, index: 7, history: [] })).toEqual(draw(3, 20)[7]);
    expect(draw(4, 20)).not.toEqual(draw(3, 20));
  });

  it('draws every parameter inside its domain, conditional ones only when their condition holds', () => {
    const configs = draw(1, 2000);
    for (const c of configs) {
      expect(['sgd', 'adam']).toContain(c.optimizer);
      expect(c.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(c.learningRate).toBeLessThan(1);
      if (c.optimizer === 'sgd') {
        expect(c.momentum).toBeGreaterThanOrEqual(0.5);
        expect(c.momentum).toBeLessThan(0.99);
      } else expect('momentum' in c).toBe(false);
      expect(Number.isInteger(c.width) && (c.width as number) >= 8 && (c.width as number) <= 512).toBe(true);
      expect([1, 2, 3]).toContain(c.layers);
      expect(c.epochs).toBe(5);
    }
    // Log-uniform: log10(lr) is uniform on [-4, 0], so a quarter of the draws fall in each decade.
    const decade = configs.filter((c) => (c.learningRate as number) < 1e-3).length / configs.length;
    expect(decade).toBeGreaterThan(0.2);
    expect(decade).toBeLessThan(0.3);
    // Log integer on [8, 512]: P(width <= 64) = log(64.5 / 7.5) / log(512.5 / 7.5) = 0.5103.
    const small = configs.filter((c) => (c.width as number) <= 64).length / configs.length;
    expect(small).toBeGreaterThan(0.47);
    expect(small).toBeLessThan(0.55);
  });
});
