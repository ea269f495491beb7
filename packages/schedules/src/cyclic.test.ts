import { describe, expect, it } from 'vitest';
import { cyclic } from './cyclic.js';
import { expectValues } from './test-close.js';

/** torch CyclicLR.get_lr written out (float arithmetic as in PyTorch). */
function pytorchCyclic(
  t: number,
  o: {
    base: number;
    max: number;
    up: number;
    down: number;
    scale: (x: number) => number;
    scaleMode: 'cycle' | 'iterations';
  },
): { lr: number; momentum: number } {
  const total = o.up + o.down;
  const ratio = o.up / total;
  const cycle = Math.floor(1 + t / total);
  const x = 1 + t / total - cycle;
  const scaleFactor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  const scale = o.scale(o.scaleMode === 'cycle' ? cycle : t);
  return {
    lr: o.base + (o.max - o.base) * scaleFactor * scale,
    momentum: 0.9 - (0.9 - 0.8) * scaleFactor * scale,
  };
}

describe('cyclic', () => {
  it('triangular: base -> max over stepSizeUp, back over stepSizeDown, with momentum mirrored', () => {
    // base 0.01, max 0.1, 4 up and 4 down: lr = 0.01 + 0.09 * h with h = 0, 1/4, ..., 1, ..., 0.
    const { learningRate, momentum } = cyclic({ base: 0.01, max: 0.1, stepSizeUp: 4 });
    expectValues(learningRate, { 0: 0.01, 1: 0.0325, 2: 0.055, 4: 0.1, 6: 0.055, 8: 0.01, 12: 0.1 });
    // momentum = 0.9 - 0.1 * h: 0.9 at the trough, 0.8 at the peak.
    expectValues(momentum, { 0: 0.9, 2: 0.85, 4: 0.8, 8: 0.9 });
  });

  it('triangular2 halves the amplitude each cycle; exp_range scales it by gamma^step', () => {
    // cycle 2 (steps 8..15) has amplitude 0.09 / 2: peak at 12 is 0.01 + 0.045; cycle 3 peak 0.01 + 0.0225.
    expectValues(cyclic({ base: 0.01, max: 0.1, stepSizeUp: 4, mode: 'triangular2' }).learningRate, {
      4: 0.1,
      12: 0.055,
      20: 0.0325,
    });
    // exp_range, gamma 0.9: step 2 is h = 1/2 scaled by 0.9^2 = 0.81 -> 0.01 + 0.09 * 0.5 * 0.81.
    expectValues(
      cyclic({ base: 0.01, max: 0.1, stepSizeUp: 4, mode: 'exp_range', gamma: 0.9 }).learningRate,
      {
        2: 0.01 + 0.09 * 0.5 * 0.81,
        4: 0.01 + 0.09 * 0.9 ** 4,
      },
    );
  });

  it("equals PyTorch's formula for asymmetric cycles, every mode, 60 steps", () => {
    const shapes = [
      { mode: 'triangular' as const, scale: () => 1, scaleMode: 'cycle' as const },
      { mode: 'triangular2' as const, scale: (c: number) => 1 / 2 ** (c - 1), scaleMode: 'cycle' as const },
      { mode: 'exp_range' as const, scale: (s: number) => 0.97 ** s, scaleMode: 'iterations' as const },
    ];
    for (const shape of shapes) {
      const s = cyclic({
        base: 0.001,
        max: 0.006,
        stepSizeUp: 3,
        stepSizeDown: 5,
        mode: shape.mode,
        gamma: 0.97,
      });
      for (let t = 0; t < 60; t++) {
        const expected = pytorchCyclic(t, { base: 0.001, max: 0.006, up: 3, down: 5, ...shape });
        expect(Math.abs(s.learningRate(t) - expected.lr), `${shape.mode} step ${t}`).toBeLessThan(1e-12);
        expect(Math.abs(s.momentum(t) - expected.momentum), `${shape.mode} momentum ${t}`).toBeLessThan(
          1e-12,
        );
      }
    }
  });

  it('takes a custom scale function and describes it without the function', () => {
    const s = cyclic({ base: 0, max: 1, stepSizeUp: 2, scaleFn: (c) => 1 / c });
    expectValues(s.learningRate, { 2: 1, 6: 0.5 });
    expect(s.learningRate.description).toEqual({
      name: 'cyclic',
      base: 0,
      max: 1,
      stepSizeUp: 2,
      stepSizeDown: 2,
      scaleFn: 'custom',
      scaleMode: 'cycle',
    });
  });

  it('validates', () => {
    expect(() => cyclic({ base: 0.1, max: 0.01 })).toThrow(
      'cyclic: max must be a finite number >= 0.1, got 0.01',
    );
    expect(() => cyclic({ base: 0.1, max: 1, mode: 'sine' as never })).toThrow(
      "cyclic: mode must be one of 'triangular', 'triangular2', 'exp_range', got \"sine\"",
    );
    expect(() => cyclic({ base: 0.1, max: 1, gamma: 1.5 })).toThrow(
      'cyclic: gamma must be a finite number in (0, 1], got 1.5',
    );
  });
});
