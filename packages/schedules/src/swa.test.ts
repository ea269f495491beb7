import { describe, expect, it } from 'vitest';
import { swa } from './swa.js';
import { expectValues } from './test-close.js';

/** torch.optim.swa_utils.SWALR.get_lr written out: the rate after the scheduler's k-th step (0 = at construction). */
function pytorchSwalr(k: number, lr0: number, swaLr: number, annealEpochs: number, cos: boolean): number {
  const anneal = (t: number) => (cos ? (1 - Math.cos(Math.PI * t)) / 2 : t);
  const initialLr = (lr: number, alpha: number) => (alpha === 1 ? swaLr : (lr - alpha * swaLr) / (1 - alpha));
  let lr = lr0;
  for (let count = 1; count <= k + 1; count++) {
    let step = count - 1;
    if (annealEpochs === 0) step = Math.max(1, step);
    const prevAlpha = anneal(Math.max(0, Math.min(1, (step - 1) / Math.max(1, annealEpochs))));
    const prev = initialLr(lr, prevAlpha);
    const alpha = anneal(Math.max(0, Math.min(1, step / Math.max(1, annealEpochs))));
    lr = swaLr * alpha + prev * (1 - alpha);
  }
  return lr;
}

describe('swa', () => {
  it('anneals to the SWA rate and holds it (PyTorch SWALR, cos and linear)', () => {
    // cos, 4 steps from 0.1 to 0.01: step 2 is a = (1 - cos(pi/2)) / 2 = 1/2 -> 0.055.
    expectValues(swa({ initial: 0.1, swaRate: 0.01, annealSteps: 4 }), {
      0: 0.1,
      2: 0.055,
      4: 0.01,
      100: 0.01,
    });
    // linear, step 1: a = 1/4 -> 0.01 / 4 + 0.1 * 3/4 = 0.0775.
    expectValues(swa({ initial: 0.1, swaRate: 0.01, annealSteps: 4, annealStrategy: 'linear' }), {
      1: 0.0775,
    });
  });

  it("equals PyTorch's recursive SWALR over the anneal and after it", () => {
    for (const [anneal, cos] of [
      [10, true],
      [7, false],
      [0, true],
    ] as const) {
      const s = swa({
        initial: 0.05,
        swaRate: 0.002,
        annealSteps: anneal,
        annealStrategy: cos ? 'cos' : 'linear',
      });
      for (let k = 0; k < 20; k++) {
        expect(
          Math.abs(s(k) - pytorchSwalr(k, 0.05, 0.002, anneal, cos)),
          `anneal ${anneal} step ${k}`,
        ).toBeLessThan(1e-12);
      }
    }
  });

  it('validates', () => {
    expect(() => swa({ initial: 0.1, swaRate: -1 })).toThrow(
      'swa: swaRate must be a finite number >= 0, got -1',
    );
  });
});
