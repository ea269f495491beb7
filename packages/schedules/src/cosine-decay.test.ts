import { describe, expect, it } from 'vitest';
import { cosineDecay } from './cosine-decay.js';
import { expectValues } from './test-close.js';

describe('cosineDecay', () => {
  it('matches Optax cosine_decay_schedule and holds after decay_steps', () => {
    // init * ((1 - alpha) * c^exponent + alpha), c = (1 + cos(pi * min(t, T) / T)) / 2; init 2, T 4, alpha 0.25:
    // t=2: c = 1/2 -> 2 * (0.75 * 0.5 + 0.25) = 1.25; t >= 4: c = 0 -> 2 * 0.25 = 0.5.
    expectValues(cosineDecay({ initial: 2, decaySteps: 4, alpha: 0.25 }), {
      0: 2,
      2: 1.25,
      4: 0.5,
      100: 0.5,
    });
    // exponent 2, t=1: c = (1 + sqrt(1/2)) / 2 = 0.8535533905932737 -> 2 * (0.75 * c^2 + 0.25).
    const c = 0.8535533905932737;
    expectValues(cosineDecay({ initial: 2, decaySteps: 4, alpha: 0.25, exponent: 2 }), {
      1: 2 * (0.75 * c * c + 0.25),
    });
  });

  it('validates', () => {
    expect(() => cosineDecay({ initial: 1, decaySteps: 1, exponent: 0 })).toThrow(
      'cosineDecay: exponent must be a finite number > 0, got 0',
    );
  });
});
