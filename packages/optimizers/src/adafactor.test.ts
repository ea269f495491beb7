import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { adafactor } from './adafactor.js';
import type { LayoutBlock } from './parameter-layout.js';

// A 2 x 3 weight matrix (factored) and a 1 x 2 bias (not factored).
const LAYOUT: LayoutBlock[] = [
  { name: 'layer0.weights', kind: 'weight', offset: 0, rows: 2, cols: 3 },
  { name: 'layer0.bias', kind: 'bias', offset: 6, rows: 1, cols: 2 },
];
const START = [1.5, -0.5, 0.05, 2, -1, 0.25, 0.3, -4];
const EPS1 = 2 ** -52;

const rms = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);

/**
 * PyTorch 2.5's Adafactor algorithm (its documentation, itself Shazeer & Stern's Algorithms 4
 * and 5 with update clipping and relative steps) on sum x^2, with plain arrays.
 */
function byHand(steps: number, o: { lr: number; wd: number; d: number }): number[][] {
  const x = [...START];
  const R = [0, 0];
  const C = [0, 0, 0];
  const V = [0, 0];
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const g = x.map((v) => 2 * v);
    const b2 = 1 - t ** -0.8;
    const rho = Math.min(o.lr, 1 / Math.sqrt(t));
    // Matrix block: G is 2 x 3.
    const G = [g.slice(0, 3), g.slice(3, 6)];
    for (let i = 0; i < 2; i++) R[i] = b2 * R[i]! + (1 - b2) * (G[i]!.reduce((s, v) => s + v * v, 0) / 3);
    for (let j = 0; j < 3; j++) C[j] = b2 * C[j]! + (1 - b2) * ((G[0]![j]! ** 2 + G[1]![j]! ** 2) / 2);
    const rMean = Math.max((R[0]! + R[1]!) / 2, EPS1);
    const U: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) U.push(G[i]![j]! / Math.max(Math.sqrt((R[i]! * C[j]!) / rMean), EPS1));
    // Vector block.
    const Ub: number[] = [];
    for (let k = 0; k < 2; k++) {
      V[k] = b2 * V[k]! + (1 - b2) * g[6 + k]! ** 2;
      Ub.push(g[6 + k]! / Math.max(Math.sqrt(V[k]!), EPS1));
    }
    const blocks: [number, number[]][] = [
      [0, U],
      [6, Ub],
    ];
    const next = [...x];
    for (const [at, u] of blocks) {
      const p = x.slice(at, at + u.length);
      const alpha = Math.max(1e-3, rms(p)) * rho;
      const clip = Math.max(1, rms(u) / o.d);
      for (let k = 0; k < u.length; k++) next[at + k] = p[k]! - o.lr * o.wd * p[k]! - (alpha * u[k]!) / clip;
    }
    x.splice(0, x.length, ...next);
    out.push([...x]);
  }
  return out;
}

function expectPath(actual: number[][], expected: number[][]): void {
  for (let t = 0; t < expected.length; t++)
    for (let i = 0; i < START.length; i++)
      expect(relativeError(actual[t]![i]!, expected[t]![i]!), `step ${t + 1} p[${i}]`).toBeLessThan(1e-12);
}

describe('adafactor, against PyTorch 2.5 documented algorithm (Shazeer & Stern, 2018) by hand', () => {
  it('four steps with PyTorch defaults over a factored 2 x 3 block and a bias', () => {
    const path = runSteps(adafactor({ layout: LAYOUT }), sumOfSquares(START.length), START, 4);
    expectPath(path, byHand(4, { lr: 0.01, wd: 0, d: 1 }));
  });

  it('relative step capped by lr 0.5 then 1/sqrt(t), weight decay 0.1, clipping at d = 1.2', () => {
    const path = runSteps(
      adafactor({ layout: LAYOUT, learningRate: 0.5, weightDecay: 0.1, clipThreshold: 1.2 }),
      sumOfSquares(START.length),
      START,
      4,
    );
    expectPath(path, byHand(4, { lr: 0.5, wd: 0.1, d: 1.2 }));
  });

  it('keeps r + c numbers for an r x c block (sublinear memory)', () => {
    const o = adafactor({ layout: LAYOUT });
    const [f] = o.init(Float64Array.from(START)) as [
      { rowFactors: Float64Array; colFactors: Float64Array; variance: Float64Array },
    ];
    expect([f.rowFactors.length, f.colFactors.length, f.variance.length]).toEqual([2, 3, 2]);
  });

  it('step 1 of an unfactored block is sign(g) times max(eps2, RMS(p)) * lr', () => {
    // t = 1: beta2_1 = 0 so V = g^2, U = sign(g) with RMS 1 (no clipping), rho = min(0.01, 1).
    // p = (3, -4): RMS = sqrt(12.5), so each coordinate moves by 0.01 sqrt(12.5) toward 0.
    const path = runSteps(adafactor(), sumOfSquares(2), [3, -4], 1);
    expect(path[0]![0]).toBeCloseTo(3 - 0.01 * Math.sqrt(12.5), 14);
    expect(path[0]![1]).toBeCloseTo(-4 + 0.01 * Math.sqrt(12.5), 14);
  });

  it('refuses a positive beta2Decay and a clip threshold below 1', () => {
    expect(() => adafactor({ beta2Decay: 0.5 })).toThrow('adafactor: beta2Decay must be <= 0, got 0.5');
    expect(() => adafactor({ clipThreshold: 0.5 })).toThrow(/clipThreshold/);
  });
});
