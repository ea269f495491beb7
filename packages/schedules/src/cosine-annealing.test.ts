import { describe, expect, it } from 'vitest';
import { cosineAnnealing } from './cosine-annealing.js';
import { expectValues } from './test-close.js';

const SQRT_HALF = Math.SQRT1_2; // cos(pi / 4)

describe('cosineAnnealing', () => {
  it("matches PyTorch CosineAnnealingLR's closed form at points with known cosines", () => {
    // eta_min + (base - eta_min) * (1 + cos(pi * t / T_max)) / 2 with base 1, eta_min 0.1, T_max 4:
    // t=1: cos(pi/4) = sqrt(1/2); t=2: cos(pi/2) = 0; t=3: cos(3pi/4) = -sqrt(1/2); t=4: cos(pi) = -1;
    // past T_max the cosine goes on: t=6: cos(3pi/2) = 0, t=8: cos(2pi) = 1.
    expectValues(cosineAnnealing({ initial: 1, minimum: 0.1, period: 4 }), {
      0: 1,
      1: 0.1 + (0.9 * (1 + SQRT_HALF)) / 2,
      2: 0.55,
      3: 0.1 + (0.9 * (1 - SQRT_HALF)) / 2,
      4: 0.1,
      6: 0.55,
      8: 1,
    });
  });

  it("agrees with PyTorch's recursive (chainable) form over three periods", () => {
    // torch CosineAnnealingLR.get_lr, written out: each step updates the previous rate.
    const base = 0.1;
    const etaMin = 0.001;
    const T = 7;
    const s = cosineAnnealing({ initial: base, minimum: etaMin, period: T });
    let lr = base;
    for (let t = 1; t <= 3 * T; t++) {
      if ((t - 1 - T) % (2 * T) === 0) lr = lr + ((base - etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
      else
        lr =
          ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - etaMin) +
          etaMin;
      expect(Math.abs(s(t) - lr), `step ${t}`).toBeLessThan(1e-12);
    }
  });

  it('validates', () => {
    expect(() => cosineAnnealing({ initial: 1, period: 0 })).toThrow(
      'cosineAnnealing: period must be an integer >= 1, got 0',
    );
    expect(cosineAnnealing({ initial: 1, period: 3 }).description).toEqual({
      name: 'cosineAnnealing',
      initial: 1,
      minimum: 0,
      period: 3,
    });
  });
});
