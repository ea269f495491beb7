import { describe, expect, it } from 'vitest';
import { relativeError, runSteps, sumOfSquares } from '../test/objectives.js';
import { rmsprop } from './rmsprop.js';

const START = [1.5, -0.5, 0.05];

describe('rmsprop with eps inside the square root (Optax, TensorFlow, Keras)', () => {
  it('three steps by hand: x <- x - lr g / sqrt(s + eps) (eps 1e-2 so that the placement shows)', () => {
    const path = runSteps(
      rmsprop({ learningRate: 0.01, alpha: 0.9, eps: 1e-2, epsInsideSqrt: true }),
      sumOfSquares(3),
      START,
      3,
    );
    const outside = runSteps(
      rmsprop({ learningRate: 0.01, alpha: 0.9, eps: 1e-2 }),
      sumOfSquares(3),
      START,
      3,
    );
    for (let c = 0; c < 3; c++) {
      let x = START[c]!;
      let s = 0;
      for (let t = 0; t < 3; t++) {
        const g = 2 * x;
        s = 0.9 * s + 0.1 * g * g;
        x = x - (0.01 * g) / Math.sqrt(s + 1e-2);
        expect(relativeError(path[t]![c]!, x), `coordinate ${c} step ${t + 1}`).toBeLessThan(1e-12);
      }
      expect(Math.abs(path[2]![c]! - outside[2]![c]!)).toBeGreaterThan(1e-6);
    }
    // Step 1 from 1.5: s = 0.9, x1 = 1.5 - 0.03 / sqrt(0.91).
    expect(path[0]![0]).toBeCloseTo(1.5 - 0.03 / Math.sqrt(0.91), 14);
  });

  it('centered: g / sqrt(s - a^2 + eps)', () => {
    const path = runSteps(
      rmsprop({ learningRate: 0.01, alpha: 0.9, eps: 1e-2, centered: true, epsInsideSqrt: true }),
      sumOfSquares(1),
      [1.5],
      2,
    );
    let x = 1.5;
    let s = 0;
    let a = 0;
    for (let t = 0; t < 2; t++) {
      const g = 2 * x;
      s = 0.9 * s + 0.1 * g * g;
      a = 0.9 * a + 0.1 * g;
      x = x - (0.01 * g) / Math.sqrt(s - a * a + 1e-2);
      expect(relativeError(path[t]![0]!, x)).toBeLessThan(1e-12);
    }
  });
});
