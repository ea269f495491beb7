import { createRng } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { addGradientNoise } from './add-gradient-noise.js';
import { testContext } from './test-context.js';

describe('addGradientNoise', () => {
  it('adds N(0, eta / (1 + t)^gamma) noise: sample variance matches at two steps', () => {
    const n = 200_000;
    const t = addGradientNoise({ eta: 0.3, gamma: 0.55, seed: 3 });
    const state = t.init(new Float64Array(n));
    for (const step of [0, 9]) {
      const u = new Float64Array(n);
      t.update(u, state, u, testContext(step));
      let mean = 0;
      let sq = 0;
      for (const v of u) {
        mean += v;
        sq += v * v;
      }
      mean /= n;
      const variance = sq / n - mean * mean;
      const expected = 0.3 / (1 + step) ** 0.55;
      // standard error of a variance estimate: sigma^2 sqrt(2 / n) ~ 0.3% here; allow 5 of them.
      expect(Math.abs(variance / expected - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / n));
    }
  });

  it('draws from core seeded generator, continuing from the state', () => {
    const t = addGradientNoise({ eta: 1, gamma: 0, seed: 11 });
    const state = t.init(new Float64Array(2));
    const u = new Float64Array(2);
    t.update(u, state, u, testContext());
    const v = new Float64Array(2);
    t.update(v, state, v, testContext(1));
    const rng = createRng(11);
    expect([...u, ...v]).toEqual([rng.normal(), rng.normal(), rng.normal(), rng.normal()]);
    // A copy of the state (as after deserialisation) continues the same sequence.
    const copy = { rng: [...state.rng] };
    const w = new Float64Array(1);
    t.update(w, copy, w, testContext(2));
    expect(w[0]).toBe(rng.normal());
  });
});
