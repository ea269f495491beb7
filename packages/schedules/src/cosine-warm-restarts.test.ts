import { describe, expect, it } from 'vitest';
import { cosineWarmRestarts, restartPosition } from './cosine-warm-restarts.js';
import { expectValues } from './test-close.js';

/** PyTorch CosineAnnealingWarmRestarts.step(epoch) written out, with its float logarithm. */
function pytorchSgdr(epoch: number, base: number, etaMin: number, T0: number, Tmult: number): number {
  let Tcur: number;
  let Ti: number;
  if (epoch >= T0) {
    if (Tmult === 1) {
      Tcur = epoch % T0;
      Ti = T0;
    } else {
      const n = Math.trunc(Math.log((epoch / T0) * (Tmult - 1) + 1) / Math.log(Tmult));
      Tcur = epoch - (T0 * (Tmult ** n - 1)) / (Tmult - 1);
      Ti = T0 * Tmult ** n;
    }
  } else {
    Ti = T0;
    Tcur = epoch;
  }
  return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * Tcur) / Ti))) / 2;
}

describe('cosineWarmRestarts', () => {
  it('restarts after T_0, T_0 * T_mult, ... steps with the SGDR cosine in between', () => {
    // T_0 10, T_mult 2: cycles [0, 10), [10, 30), [30, 70). Step 15: T_cur 5 of T_i 20 -> cos(pi/4);
    // step 20: T_cur 10 of 20 -> cos(pi/2) = 0; step 50: T_cur 20 of 40 -> 0.
    const s = cosineWarmRestarts({ initial: 0.1, minimum: 0.001, period: 10, periodMultiplier: 2 });
    const mid = 0.001 + 0.099 / 2;
    expectValues(s, {
      0: 0.1,
      5: mid,
      10: 0.1,
      15: 0.001 + (0.099 * (1 + Math.SQRT1_2)) / 2,
      20: mid,
      30: 0.1,
      50: mid,
      70: 0.1,
    });
  });

  it("equals PyTorch's closed form wherever PyTorch's float logarithm finds the right cycle", () => {
    for (const [T0, Tmult] of [
      [10, 1],
      [10, 2],
      [3, 3],
    ] as const) {
      const s = cosineWarmRestarts({ initial: 0.1, minimum: 0.001, period: T0, periodMultiplier: Tmult });
      for (let t = 0; t < 400; t++) {
        expect(
          Math.abs(s(t) - pytorchSgdr(t, 0.1, 0.001, T0, Tmult)),
          `T0 ${T0} Tmult ${Tmult} step ${t}`,
        ).toBeLessThan(1e-12);
      }
    }
  });

  it('restarts on the exact step where a float logarithm misplaces the restart', () => {
    // T_0 1, T_mult 10: restarts at 1, 11, 111, ... (sum of 10^k). At step 111 PyTorch computes
    // log(1000) / log(10) = 2.9999999999999996, truncates to cycle 2 and returns eta_min (cos(pi)).
    expect(Math.log(1000) / Math.log(10)).toBeLessThan(3);
    expect(pytorchSgdr(111, 1, 0, 1, 10)).toBe(0);
    const s = cosineWarmRestarts({ initial: 1, period: 1, periodMultiplier: 10 });
    expect(s(111)).toBe(1);
    expect(restartPosition(111, 1, 10)).toEqual({ sinceRestart: 0, cycleLength: 1000 });
    // One step earlier is the last step of the 100-step cycle [11, 111): cos(pi * 99 / 100).
    expectValues(s, { 110: (1 + Math.cos((Math.PI * 99) / 100)) / 2 });
  });

  it('stays exact after a million steps', () => {
    // T_0 10, T_mult 2: cycle i starts at 10 * (2^i - 1). Cycle 16 starts at 10 * 65535 = 655350 and
    // lasts 10 * 2^16 = 655360 steps, so step 1,000,000 is T_cur = 344650 into it.
    const s = cosineWarmRestarts({ initial: 0.1, minimum: 0.001, period: 10, periodMultiplier: 2 });
    expect(restartPosition(1_000_000, 10, 2)).toEqual({ sinceRestart: 344650, cycleLength: 655360 });
    expect(s(655350)).toBe(0.1);
    expect(s(1_310_710)).toBe(0.1); // cycle 17 starts at 10 * (2^17 - 1)
    expectValues(s, {
      1000000: 0.001 + (0.099 * (1 + Math.cos((Math.PI * 344650) / 655360))) / 2,
      655349: 0.001 + (0.099 * (1 + Math.cos((Math.PI * 327679) / 327680))) / 2,
    });
    // T_mult 1, T_0 7: 999,999 = 7 * 142,857 is a restart; the step before it is the cycle's last.
    const flat = cosineWarmRestarts({ initial: 0.1, period: 7 });
    expect(flat(999_999)).toBe(0.1);
    expectValues(flat, { 999998: (0.1 * (1 + Math.cos((Math.PI * 6) / 7))) / 2 });
  });

  it('validates', () => {
    expect(() => cosineWarmRestarts({ initial: 1, period: 10, periodMultiplier: 1.5 })).toThrow(
      'cosineWarmRestarts: periodMultiplier must be an integer >= 1, got 1.5',
    );
  });
});
