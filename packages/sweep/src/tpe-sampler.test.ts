import { describe, expect, it } from 'vitest';
import { categorical } from './categorical.js';
import { checkSpace } from './check-space.js';
import { conditional } from './conditional.js';
import type { Config } from './domain.js';
import { integer } from './integer.js';
import { logUniform } from './log-uniform.js';
import { randomSampler } from './random-sampler.js';
import type { Observation, Sampler } from './sampler.js';
import { defaultGamma, splitObservations, tpeSampler } from './tpe-sampler.js';
import { uniform } from './uniform.js';

const space = checkSpace({
  x: uniform({ low: -5, high: 5 }),
  learningRate: logUniform({ low: 1e-6, high: 1 }),
  width: integer({ low: 1, high: 20 }),
  optimizer: categorical(['sgd', 'adam', 'rmsprop']),
  momentum: conditional({ parent: 'optimizer', values: ['sgd'], domain: uniform({ low: 0, high: 1 }) }),
});

/**
 * A known function with its minimum 0 at x = 1.5, learning rate 1e-3, width 12, sgd with momentum
 * 0.9: every kind of parameter matters.
 */
function known(c: Config): number {
  const x = c.x as number;
  const lr = Math.log10(c.learningRate as number) + 3;
  const w = ((c.width as number) - 12) / 4;
  const opt =
    c.optimizer === 'sgd' ? ((c.momentum as number) - 0.9) ** 2 * 4 : c.optimizer === 'adam' ? 0.5 : 1;
  return (x - 1.5) ** 2 + lr * lr + w * w + opt;
}

/** Runs a sampler for `budget` sequential trials; returns every config and the best value. */
function minimise(sampler: Sampler, budget: number): { configs: Config[]; best: number } {
  const history: Observation[] = [];
  const configs: Config[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (let index = 0; index < budget; index++) {
    const config = sampler.suggest({ space, index, history })!;
    const score = known(config);
    configs.push(config);
    history.push({ index, config, score, state: 'completed', budget: 1 });
    best = Math.min(best, score);
  }
  return { configs, best };
}

describe('splitObservations', () => {
  it('ranks completed trials by score, then pruned ones by budget reached, and keeps trial order', () => {
    const o = (index: number, score: number, state: 'completed' | 'pruned', budget = 9): Observation => ({
      index,
      config: {},
      score,
      state,
      budget,
    });
    const history = [
      o(0, 0.5, 'completed'),
      o(1, 0.1, 'pruned', 1),
      o(2, 0.3, 'completed'),
      o(3, 0.2, 'pruned', 3),
    ];
    // Ranked: 2 (0.3), 0 (0.5), then pruned 3 (budget 3), 1 (budget 1). Two good ones.
    const split = splitObservations(history, () => 2);
    expect(split.below.map((x) => x.index)).toEqual([0, 2]);
    expect(split.above.map((x) => x.index)).toEqual([1, 3]);
    expect([1, 10, 11, 100, 300].map(defaultGamma)).toEqual([1, 1, 2, 10, 25]);
  });
});

describe('tpeSampler', () => {
  it('is reproducible from its seed and draws inside the space', () => {
    const a = minimise(tpeSampler({ seed: 7 }), 40);
    const b = minimise(tpeSampler({ seed: 7 }), 40);
    expect(a.configs).toEqual(b.configs);
    expect(minimise(tpeSampler({ seed: 8 }), 40).configs).not.toEqual(a.configs);
    for (const c of a.configs) {
      expect(c.x as number).toBeGreaterThanOrEqual(-5);
      expect(c.x as number).toBeLessThanOrEqual(5);
      expect(c.learningRate as number).toBeGreaterThanOrEqual(1e-6);
      expect(c.learningRate as number).toBeLessThanOrEqual(1);
      expect(Number.isInteger(c.width) && (c.width as number) >= 1 && (c.width as number) <= 20).toBe(true);
      expect('momentum' in c).toBe(c.optimizer === 'sgd');
    }
    // Its first 10 trials are random search with the same seeds.
    expect(a.configs.slice(0, 10)).toEqual(minimise(randomSampler({ seed: 7 }), 10).configs);
  });

  it('finds a better optimum than random search within the same budget, on the mean over seeds', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const budget = 60;
    const mean = (f: (seed: number) => number) => seeds.reduce((s, seed) => s + f(seed), 0) / seeds.length;
    const tpe = mean((seed) => minimise(tpeSampler({ seed }), budget).best);
    const random = mean((seed) => minimise(randomSampler({ seed }), budget).best);
    console.log(
      `best of ${budget} trials, mean over ${seeds.length} seeds: TPE ${tpe.toFixed(4)}, random ${random.toFixed(4)}`,
    );
    expect(tpe).toBeLessThan(random * 0.75);
  });
});
