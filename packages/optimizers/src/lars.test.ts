import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { lars } from './lars.js';
import type { LayoutBlock } from './parameter-layout.js';

const LAYOUT: LayoutBlock[] = [
  { name: 'layer0.weights', kind: 'weight', offset: 0, rows: 2, cols: 2 },
  { name: 'layer0.bias', kind: 'bias', offset: 4, rows: 1, cols: 2 },
];
const START = [1.5, -0.5, 0.05, 2, -1, 0.25];
const LAYERS = [
  [0, 4],
  [4, 6],
];

/** LARS on sum x^2 from Algorithm 1 of You, Gitman & Ginsburg (2017), momentum buffer b_1 = first step. */
function byHand(
  steps: number,
  o: { lr: number; wd: number; eta: number; mu: number },
  adapt: (l: number) => boolean,
) {
  const x = [...START];
  const b = x.map(() => 0);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const d = x.map((xi) => 2 * xi + o.wd * xi);
    const next = [...x];
    LAYERS.forEach(([lo, hi], l) => {
      let xn = 0;
      let dn = 0;
      for (let i = lo!; i < hi!; i++) {
        xn += x[i]! ** 2;
        dn += d[i]! ** 2;
      }
      const local = adapt(l) ? (o.eta * Math.sqrt(xn)) / Math.sqrt(dn) : 1;
      for (let i = lo!; i < hi!; i++) {
        b[i] = (t === 1 ? 0 : o.mu * b[i]!) + o.lr * local * d[i]!;
        next[i] = x[i]! - b[i]!;
      }
    });
    x.splice(0, x.length, ...next);
    out.push([...x]);
  }
  return out;
}

describe('lars, against the paper (You, Gitman & Ginsburg, 2017, Algorithm 1) by hand', () => {
  it('three steps, layer-wise local learning rates, momentum 0.9, wd 5e-4, eta 0.001, lr 2', () => {
    const o = { lr: 2, wd: 5e-4, eta: 0.001, mu: 0.9 };
    const path = runSteps(
      lars({ learningRate: o.lr, weightDecay: o.wd, layout: LAYOUT }),
      sumOfSquares(START.length),
      START,
      3,
    );
    const expected = byHand(3, o, () => true);
    for (let t = 0; t < 3; t++)
      for (let i = 0; i < START.length; i++)
        expect(relativeError(path[t]![i]!, expected[t]![i]!), `step ${t + 1} p[${i}]`).toBeLessThan(1e-12);
  });

  it('biases masked out take plain momentum SGD steps', () => {
    const o = { lr: 0.1, wd: 0, eta: 0.01, mu: 0.5 };
    const path = runSteps(
      lars({
        learningRate: o.lr,
        trustCoefficient: o.eta,
        momentum: o.mu,
        layout: LAYOUT,
        trustRatioMask: (b) => b.kind !== 'bias',
      }),
      sumOfSquares(START.length),
      START,
      2,
    );
    const expected = byHand(2, o, (l) => l === 0);
    for (let t = 0; t < 2; t++)
      for (let i = 0; i < START.length; i++)
        expect(relativeError(path[t]![i]!, expected[t]![i]!), `step ${t + 1} p[${i}]`).toBeLessThan(1e-12);
    // Bias step 1: plain SGD with lr 0.1 on g = 2x: -1 -> -0.8.
    expect(path[0]![4]).toBeCloseTo(-0.8, 14);
  });

  it('the first step of each layer is lr * eta * ||p_l|| long, whatever the gradient scale', () => {
    const path = runSteps(lars({ learningRate: 1, momentum: 0 }), sumOfSquares(2), [3, 4], 1);
    // ||p|| = 5, step length 0.001 * 5 along -p/||p|| (g = 2p): p <- p (1 - 0.001).
    expect(path[0]![0]).toBeCloseTo(3 * 0.999, 14);
    expect(path[0]![1]).toBeCloseTo(4 * 0.999, 14);
  });
});
