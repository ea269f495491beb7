import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { gaussianBlobs } from './gaussian-blobs.js';
import { noisyCubic } from './noisy-cubic.js';
import { noisyLine } from './noisy-line.js';
import { spirals } from './spirals.js';
import { twoMoons } from './two-moons.js';
import { xorData } from './xor-data.js';

/** Ordinary least squares for y = a + b x by the closed form (an independent oracle). */
function leastSquares(d: Dataset): { slope: number; intercept: number; residualStd: number } {
  const n = d.x.rows;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += d.x.data[i]!;
    sy += d.y.data[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (d.x.data[i]! - mx) * (d.y.data[i]! - my);
    sxx += (d.x.data[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d.y.data[i]! - intercept - slope * d.x.data[i]!) ** 2;
  return { slope, intercept, residualStd: Math.sqrt(ss / n) };
}

const same = (a: Dataset, b: Dataset): boolean =>
  Array.from(a.x.data).join() === Array.from(b.x.data).join() &&
  Array.from(a.y.data).join() === Array.from(b.y.data).join();

describe('synthetic data sets', () => {
  it('are fixed by their seed', () => {
    for (const make of [noisyLine, noisyCubic, gaussianBlobs, twoMoons, spirals, xorData] as ((o: {
      seed: number;
    }) => Dataset)[]) {
      expect(same(make({ seed: 4 }), make({ seed: 4 }))).toBe(true);
      expect(same(make({ seed: 4 }), make({ seed: 5 }))).toBe(false);
    }
  });

  it('noisyLine lies on y = 5x + 3 without noise, and least squares recovers it with noise', () => {
    const exact = noisyLine({ noise: 0, samples: 50 });
    for (let i = 0; i < 50; i++) expect(exact.y.data[i]).toBe(5 * exact.x.data[i]! + 3);
    const fit = leastSquares(noisyLine({ samples: 20_000, noise: 1, seed: 7, xRange: [-2, 2] }));
    expect(fit.slope).toBeCloseTo(5, 1);
    expect(fit.intercept).toBeCloseTo(3, 1);
    expect(fit.residualStd).toBeGreaterThan(0.97);
    expect(fit.residualStd).toBeLessThan(1.03);
  });

  it('noisyCubic stays within +-5 of -4 + 3x + 4x^2 + 4x^3 and uses the whole band', () => {
    const d = noisyCubic({ samples: 5000, seed: 2 });
    let lo = 0;
    let hi = 0;
    let sum = 0;
    for (let i = 0; i < d.x.rows; i++) {
      const x = d.x.data[i]!;
      expect(x).toBeGreaterThanOrEqual(-2);
      expect(x).toBeLessThan(2);
      const r = d.y.data[i]! - (-4 + 3 * x + 4 * x * x + 4 * x * x * x);
      expect(Math.abs(r)).toBeLessThanOrEqual(5 + 1e-9);
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
      sum += r;
    }
    expect(lo).toBeLessThan(-4.9);
    expect(hi).toBeGreaterThan(4.9);
    // Uniform jitter on [-5, 5] has std 10 / sqrt(12) = 2.89: the mean of 5000 is within 0.2 of 0.
    expect(Math.abs(sum / d.x.rows)).toBeLessThan(0.2);
  });

  it('gaussianBlobs centre each class on its blob with the requested spread', () => {
    const d = gaussianBlobs({
      centers: [
        [0, 0],
        [10, -5],
      ],
      std: 0.5,
      samples: 4000,
      seed: 1,
      oneHot: true,
    });
    expect(d.y.cols).toBe(2);
    const sums = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    for (let i = 0; i < d.x.rows; i++) {
      const k = d.y.data[2 * i] === 1 ? 0 : 1;
      expect(d.y.data[2 * i]! + d.y.data[2 * i + 1]!).toBe(1);
      sums[k]![0]! += d.x.data[2 * i]!;
      sums[k]![1]! += d.x.data[2 * i + 1]!;
      sums[k]![2]!++;
    }
    expect(sums[0]![2]).toBe(2000);
    expect(sums[0]![0]! / 2000).toBeCloseTo(0, 1);
    expect(sums[1]![0]! / 2000).toBeCloseTo(10, 1);
    expect(sums[1]![1]! / 2000).toBeCloseTo(-5, 1);
    const drawn = gaussianBlobs({ centers: 4, features: 3, seed: 3 });
    expect(drawn.centers).toHaveLength(4);
    expect(drawn.x.cols).toBe(3);
    for (const c of drawn.centers) for (const v of c) expect(Math.abs(v)).toBeLessThanOrEqual(10);
  });

  it('twoMoons without noise puts each class on its half circle', () => {
    const d = twoMoons({ samples: 101, noise: 0 });
    let ones = 0;
    for (let i = 0; i < d.x.rows; i++) {
      const [x, y] = [d.x.data[2 * i]!, d.x.data[2 * i + 1]!];
      if (d.y.data[i] === 0) {
        expect(Math.hypot(x, y)).toBeCloseTo(1, 12);
        expect(y).toBeGreaterThanOrEqual(-1e-12);
      } else {
        ones++;
        expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 12);
        expect(y).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    }
    expect(ones).toBe(50);
  });

  it('spirals: each arm is the previous one turned by 2 pi / arms, with the radius growing along it', () => {
    const arms = 3;
    const d = spirals({ samples: 300, arms, noise: 0, turns: 1.5 });
    const point = (i: number) => [d.x.data[2 * i]!, d.x.data[2 * i + 1]!] as const;
    const turn = (2 * Math.PI) / arms;
    for (let i = 0; i + 1 < d.x.rows; i++) {
      const arm = i % arms;
      expect(d.y.data[i]).toBe(arm);
      if (arm < arms - 1) {
        const [x, y] = point(i);
        const [u, v] = point(i + 1);
        expect(u).toBeCloseTo(x * Math.cos(turn) - y * Math.sin(turn), 12);
        expect(v).toBeCloseTo(x * Math.sin(turn) + y * Math.cos(turn), 12);
      }
      if (i + arms < d.x.rows)
        expect(Math.hypot(...point(i + arms))).toBeGreaterThan(Math.hypot(...point(i)));
    }
  });

  it('xorData labels 1 exactly where the signs differ, away from the axes', () => {
    const d = xorData({ samples: 1000, seed: 9, margin: 0.1 });
    let ones = 0;
    for (let i = 0; i < d.x.rows; i++) {
      const [a, b] = [d.x.data[2 * i]!, d.x.data[2 * i + 1]!];
      expect(Math.min(Math.abs(a), Math.abs(b))).toBeGreaterThanOrEqual(0.1);
      expect(Math.max(Math.abs(a), Math.abs(b))).toBeLessThanOrEqual(1);
      expect(d.y.data[i]).toBe(a * b < 0 ? 1 : 0);
      ones += d.y.data[i]!;
    }
    expect(ones).toBeGreaterThan(430);
    expect(ones).toBeLessThan(570);
  });

  it('reject bad parameters by name', () => {
    expect(() => noisyLine({ samples: 0 })).toThrow('noisyLine: samples must be an integer >= 1, got 0');
    expect(() => noisyCubic({ jitter: -1 })).toThrow(
      'noisyCubic: jitter must be a finite number >= 0, got -1',
    );
    expect(() => spirals({ arms: 1 })).toThrow('spirals: arms must be an integer >= 2, got 1');
    expect(() => xorData({ margin: 1 })).toThrow('xorData: margin must be in [0, 1), got 1');
    expect(() => gaussianBlobs({ centers: [[0, 0], [1]] })).toThrow(/one dimension/);
  });
});
