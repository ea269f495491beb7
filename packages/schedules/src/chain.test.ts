import { describe, expect, it } from 'vitest';
import { chain } from './chain.js';
import { exponentialDecay } from './exponential-decay.js';
import { linear } from './linear.js';
import { stepDecay } from './step-decay.js';

describe('chain', () => {
  it("equals PyTorch's ChainedScheduler(StepLR, ExponentialLR) stepping one shared rate", () => {
    // The chainable forms written out: StepLR multiplies by gamma when last_epoch % step_size == 0
    // (last_epoch > 0); ExponentialLR multiplies by gamma every step; both act on the same rate.
    const s = chain(
      stepDecay({ initial: 0.1, stepSize: 3, gamma: 0.5 }),
      exponentialDecay({ initial: 0.1, gamma: 0.9 }),
    );
    let lr = 0.1;
    for (let epoch = 0; epoch < 25; epoch++) {
      if (epoch > 0) {
        if (epoch % 3 === 0) lr *= 0.5;
        lr *= 0.9;
      }
      expect(Math.abs(s(epoch) - lr), `epoch ${epoch}`).toBeLessThan(1e-12);
    }
  });

  it('chains a LinearLR warm-up factor onto another schedule', () => {
    // LinearLR(start_factor 0.25, total_iters 3) on base 0.2 chained with ExponentialLR(0.5):
    // 0.2 * (0.25 + 0.75 * min(t, 3) / 3) * 0.5^t -> t=2: 0.2 * 0.75 * 0.25.
    const s = chain(
      linear({ initial: 0.05, end: 0.2, transitionSteps: 3 }),
      exponentialDecay({ initial: 0.2, gamma: 0.5 }),
    );
    expect(Math.abs(s(2) - 0.2 * 0.75 * 0.25)).toBeLessThan(1e-12);
  });

  it('refuses a schedule that starts at zero (its relative change is undefined)', () => {
    expect(() =>
      chain(stepDecay({ initial: 1, stepSize: 1 }), linear({ initial: 0, end: 1, transitionSteps: 2 })),
    ).toThrow('chain: schedules[1] must have a finite, non-zero value at step 0, got 0');
  });
});
