import { createRng, type Rng } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { categorical } from './categorical.js';
import { checkSpace } from './check-space.js';
import { conditional } from './conditional.js';
import { fixed } from './fixed.js';
import { integer } from './integer.js';
import { logUniform } from './log-uniform.js';
import { explore } from './pbt-explore.js';
import { uniform } from './uniform.js';

/** An Rng whose next() and int() replay scripted values, so each branch is chosen by hand. */
function scripted(nexts: number[], ints: number[]): Rng {
  const real = createRng(0);
  return {
    ...real,
    next: () => nexts.shift() ?? 0.5,
    int: (n) => {
      const v = ints.shift() ?? 0;
      if (v >= n) throw new Error(`scripted int ${v} >= ${n}`);
      return v;
    },
  };
}

const space = checkSpace({
  lr: logUniform({ low: 1e-4, high: 1 }),
  width: integer({ low: 8, high: 64 }),
  optimizer: categorical(['sgd', 'adam', 'rmsprop']),
  momentum: conditional({ parent: 'optimizer', values: ['sgd'], domain: uniform({ low: 0, high: 0.99 }) }),
  epochs: fixed(10),
});

describe('explore', () => {
  it('multiplies reals and integers by a factor, clipped and rounded, and moves a categorical to a neighbour', () => {
    // next() > 0 every time: never resample. int(): lr factor index 1 (1.2), width 0 (0.8),
    // optimizer shift 1 (up: sgd -> adam), so momentum becomes inactive and is dropped.
    const rng = scripted([0.9, 0.9, 0.9, 0.9, 0.9], [1, 0, 1]);
    const out = explore(space, { lr: 0.9, width: 20, optimizer: 'sgd', momentum: 0.5, epochs: 10 }, rng, {
      resampleProbability: 0.25,
    });
    // lr 0.9 * 1.2 = 1.08 is clipped to 1; width round(20 * 0.8) = 16.
    expect(out).toEqual({ lr: 1, width: 16, optimizer: 'adam', epochs: 10 });
  });

  it('keeps a categorical at the end of its list when the shift would leave it, and perturbs an active child', () => {
    // optimizer shift 0 (down) from sgd (index 0) stays sgd; momentum 0.5 * 1.2 = 0.6.
    const rng = scripted([0.9, 0.9, 0.9, 0.9, 0.9], [0, 1, 0, 1]);
    const out = explore(space, { lr: 0.01, width: 63, optimizer: 'sgd', momentum: 0.5, epochs: 10 }, rng);
    expect(out).toEqual({ lr: 0.008, width: 64, optimizer: 'sgd', momentum: 0.6, epochs: 10 });
  });

  it('draws a parameter afresh below resampleProbability, and a child that becomes active from its domain', () => {
    const rng = createRng(4);
    for (let i = 0; i < 50; i++) {
      const out = explore(space, { lr: 0.5, width: 32, optimizer: 'adam', epochs: 10 }, rng, {
        resampleProbability: 1,
      });
      expect(out.lr).toBeGreaterThanOrEqual(1e-4);
      expect(out.lr).toBeLessThanOrEqual(1);
      expect(Number.isInteger(out.width)).toBe(true);
      expect('momentum' in out).toBe(out.optimizer === 'sgd');
      expect(out.epochs).toBe(10);
    }
  });
});
