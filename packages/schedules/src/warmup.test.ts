import { describe, expect, it } from 'vitest';
import { cosineAnnealing } from './cosine-annealing.js';
import { expectValues } from './test-close.js';
import { warmup } from './warmup.js';

describe('warmup', () => {
  it("prepend: ramps to the schedule's first value, then plays the schedule from its step 0", () => {
    // 4 warm-up steps from 0 to cos(0) = 1; then cosine (T 4) at steps 4..8 = its steps 0..4.
    const s = warmup(cosineAnnealing({ initial: 1, period: 4 }), { steps: 4 });
    expectValues(s, { 0: 0, 1: 0.25, 2: 0.5, 3: 0.75, 4: 1, 6: 0.5, 8: 0 });
  });

  it('scale: multiplies the running schedule by a factor rising to 1 (PyTorch LinearLR chained)', () => {
    // factor 0.5 + 0.5 * min(t, 4) / 4; cosine (T 4) runs from step 0: t=2 -> 0.75 * 0.5.
    const s = warmup(cosineAnnealing({ initial: 1, period: 4 }), {
      steps: 4,
      startFactor: 0.5,
      mode: 'scale',
    });
    expectValues(s, { 0: 0.5, 2: 0.375, 4: 0, 8: 1 });
    expect(s.description).toEqual({
      name: 'warmup',
      steps: 4,
      startFactor: 0.5,
      mode: 'scale',
      schedule: { name: 'cosineAnnealing', initial: 1, minimum: 0, period: 4 },
    });
  });

  it('validates', () => {
    expect(() => warmup(cosineAnnealing({ initial: 1, period: 4 }), { steps: 4, startFactor: 2 })).toThrow(
      'warmup: startFactor must be a finite number in [0, 1], got 2',
    );
  });
});
