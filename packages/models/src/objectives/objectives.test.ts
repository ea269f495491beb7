import { describe, expect, it } from 'vitest';
import { checkGradient } from './check-gradient.js';
import { customObjective, finiteDifferenceObjective } from './custom-objective.js';

// f(a, b, c) = a^2 b + sin(c), grad = (2ab, a^2, cos c), derived by hand.
const f = (p: Float64Array): number => p[0]! * p[0]! * p[1]! + Math.sin(p[2]!);

describe('customObjective and checkGradient', () => {
  it('a correct user gradient passes; a wrong one is caught at the right coordinate', () => {
    const good = customObjective({
      dimension: 3,
      loss: (p: Float64Array, _b: unknown, g?: Float64Array) => {
        if (g) {
          g[0] = 2 * p[0]! * p[1]!;
          g[1] = p[0]! * p[0]!;
          g[2] = Math.cos(p[2]!);
        }
        return f(p);
      },
    });
    const p = new Float64Array([0.7, -1.3, 0.4]);
    const before = p.slice();
    const ok = checkGradient(good, p, undefined);
    expect(ok.ok).toBe(true);
    expect(ok.maxRelativeError).toBeLessThan(1e-8);
    expect([...p]).toEqual([...before]);

    const wrong = customObjective({
      dimension: 3,
      loss: (q: Float64Array, _b: unknown, g?: Float64Array) => {
        if (g) {
          g[0] = 2 * q[0]! * q[1]!;
          g[1] = q[0]! * q[0]! * 1.01; // 1% off
          g[2] = Math.cos(q[2]!);
        }
        return f(q);
      },
    });
    const bad = checkGradient(wrong, p, undefined);
    expect(bad.ok).toBe(false);
    expect(bad.worstIndex).toBe(1);
    expect(bad.maxRelativeError).toBeCloseTo(0.01 / 1.01, 6);
    expect(bad.analyticAtWorst).toBeCloseTo(0.49 * 1.01, 12);
    expect(bad.numericAtWorst).toBeCloseTo(0.49, 8);
  });

  it('finiteDifferenceObjective estimates the hand-derived gradient and leaves params unchanged', () => {
    const obj = finiteDifferenceObjective({ dimension: 3, loss: (p: Float64Array) => f(p) });
    const p = new Float64Array([0.7, -1.3, 0.4]);
    const g = new Float64Array(3);
    expect(obj.loss(p, undefined, g)).toBe(f(p));
    expect(g[0]).toBeCloseTo(2 * 0.7 * -1.3, 8);
    expect(g[1]).toBeCloseTo(0.49, 8);
    expect(g[2]).toBeCloseTo(Math.cos(0.4), 8);
    expect([...p]).toEqual([0.7, -1.3, 0.4]);
    expect(obj.describe?.()).toMatchObject({ gradient: 'central-differences' });
  });

  it('names bad input', () => {
    expect(() => customObjective({ dimension: 0, loss: () => 0 })).toThrow(
      /dimension must be an integer >= 1/,
    );
    const obj = customObjective({ dimension: 2, loss: () => 0 });
    expect(() => obj.loss(new Float64Array(3), undefined)).toThrow(/params has length 3, expected 2/);
    expect(() => checkGradient(obj, new Float64Array(1), undefined)).toThrow(/params has length 1/);
  });
});

describe('checkGradient stencils', () => {
  it('five-point is far more accurate than central on a strongly curved function', () => {
    // f(x) = sin(20 x), f'(x) = 20 cos(20 x): third derivative 8000, fifth 3.2e6.
    const obj = customObjective({
      dimension: 1,
      loss: (p: Float64Array, _b: unknown, g?: Float64Array) => {
        if (g) g[0] = 20 * Math.cos(20 * p[0]!);
        return Math.sin(20 * p[0]!);
      },
    });
    const p = new Float64Array([0.3]);
    const central = checkGradient(obj, p, undefined, { epsilon: 1e-3 });
    const five = checkGradient(obj, p, undefined, { epsilon: 1e-3, stencil: 'five-point' });
    // Central error ~ h^2 f''' / 6 relative to f': (1e-6 * 8000 / 6) |sin| / (20 |cos|) ~ 1e-4.
    expect(central.maxRelativeError).toBeGreaterThan(1e-5);
    expect(five.maxRelativeError).toBeLessThan(1e-7);
  });
});
