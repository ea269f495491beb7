import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { lamb } from './lamb.js';
import type { LayoutBlock } from './parameter-layout.js';

// A 2 x 2 weight block, a 1 x 2 bias and one parameter no block names (its own layer).
const LAYOUT: LayoutBlock[] = [
  { name: 'layer0.weights', kind: 'weight', offset: 0, rows: 2, cols: 2 },
  { name: 'layer0.bias', kind: 'bias', offset: 4, rows: 1, cols: 2 },
];
const START = [1.5, -0.5, 0.05, 2, -1, 0.25, 3];
const LAYERS = [
  [0, 4],
  [4, 6],
  [6, 7],
];

/** LAMB on sum x^2, written from Algorithm 2 of You et al. (2020) with phi(z) = z. */
function byHand(steps: number, lr: number, wd: number, adapt: (layer: number) => boolean): number[][] {
  const x = [...START];
  const m = x.map(() => 0);
  const v = x.map(() => 0);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const r = x.map((xi, i) => {
      const g = 2 * xi;
      m[i] = 0.9 * m[i]! + 0.1 * g;
      v[i] = 0.999 * v[i]! + 0.001 * g * g;
      const mHat = m[i]! / (1 - 0.9 ** t);
      const vHat = v[i]! / (1 - 0.999 ** t);
      return mHat / (Math.sqrt(vHat) + 1e-6) + wd * xi;
    });
    LAYERS.forEach(([a, b], l) => {
      let xn = 0;
      let rn = 0;
      for (let i = a!; i < b!; i++) {
        xn += x[i]! ** 2;
        rn += r[i]! ** 2;
      }
      const ratio = adapt(l) ? Math.sqrt(xn) / Math.sqrt(rn) : 1;
      for (let i = a!; i < b!; i++) x[i] = x[i]! - lr * ratio * r[i]!;
    });
    out.push([...x]);
  }
  return out;
}

function expectPath(actual: number[][], expected: number[][]): void {
  for (let t = 0; t < expected.length; t++)
    for (let i = 0; i < START.length; i++)
      expect(relativeError(actual[t]![i]!, expected[t]![i]!), `step ${t + 1} p[${i}]`).toBeLessThan(1e-12);
}

describe('lamb, against the paper (You et al., 2020, Algorithm 2) by hand', () => {
  it('three steps with a layer-wise trust ratio over a model layout (lr 0.05, wd 0.01)', () => {
    const path = runSteps(
      lamb({ learningRate: 0.05, weightDecay: 0.01, layout: LAYOUT }),
      sumOfSquares(START.length),
      START,
      3,
    );
    expectPath(
      path,
      byHand(3, 0.05, 0.01, () => true),
    );
  });

  it('a mask leaves the bias layer unscaled', () => {
    const path = runSteps(
      lamb({ learningRate: 0.05, layout: LAYOUT, trustRatioMask: (b) => b.kind !== 'bias' }),
      sumOfSquares(START.length),
      START,
      3,
    );
    expectPath(
      path,
      byHand(3, 0.05, 0, (l) => l !== 1),
    );
  });

  it('step 1 of a one-parameter layer moves it by lr * |p| (ratio |p| / |r|, r = sign(g))', () => {
    // Adam's first step is g / (|g| + eps) = sign(g) to 1e-6, so the layer moves by lr * |p|.
    const path = runSteps(lamb({ learningRate: 0.1 }), sumOfSquares(1), [3], 1);
    expect(path[0]![0]).toBeCloseTo(3 - 0.1 * 3, 12);
  });

  it('refuses a layout block past the parameters, naming it', () => {
    const bad: LayoutBlock[] = [{ name: 'w', offset: 4, rows: 2, cols: 2 }];
    expect(() => lamb({ layout: bad }).init(new Float64Array(6))).toThrow(
      'scaleByTrustRatio: layout block w ends at 8, past the 6 parameters',
    );
  });
});
