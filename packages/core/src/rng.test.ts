import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, restoreRng } from './rng.js';

describe('createRng', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = createRng(1);
    const b = createRng(1);
    const c = createRng(2);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('gives uniform doubles in [0, 1) with the right mean and variance', () => {
    const rng = createRng(7);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
    }
    expect(outside).toBe(0);
    // Uniform(0,1): mean 1/2, variance 1/12; 5 standard errors of slack.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sq / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('gives standard normals with mean 0 and variance 1', () => {
    const rng = createRng(11);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02);
  });

  it('draws unbiased integers and shuffles into a permutation', () => {
    const rng = createRng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const items = Array.from({ length: 50 }, (_, i) => i);
    rng.shuffle(items);
    expect([...items].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(items).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(() => rng.int(0)).toThrow(/n must be an integer in \[1, 2\^31 - 1\], got 0/);
  });

  it('continues the same sequence from a saved state', () => {
    const rng = createRng(5);
    rng.next();
    const saved = rng.state();
    const expected = [rng.next(), rng.normal(), rng.int(100)];
    const resumed = restoreRng(saved);
    expect([resumed.next(), resumed.normal(), resumed.int(100)]).toEqual(expected);
  });

  it('derives distinct seeds for neighbouring streams', () => {
    const seeds = new Set<number>();
    for (let e = 0; e < 1000; e++) seeds.add(deriveSeed(42, e));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(42, 3)).toBe(deriveSeed(42, 3));
  });

  it('gives unrelated streams for seeds and streams that XOR to the same value', () => {
    // seed ^ stream is the same for all of these: each must still get its own stream.
    const pairs = Array.from({ length: 64 }, (_, seed) => [seed, seed ^ 5] as const);
    const seeds = new Set(pairs.map(([seed, stream]) => deriveSeed(seed, stream)));
    expect(seeds.size).toBe(pairs.length);
    const all = new Set<number>();
    for (let seed = 0; seed < 40; seed++) for (let e = 0; e < 40; e++) all.add(deriveSeed(seed, e));
    expect(all.size).toBe(1600);
  });
});
