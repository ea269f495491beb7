import { describe, expect, it } from 'vitest';
import { accumulateGradients } from './accumulate-gradients.js';
import { sgd } from './sgd.js';
import { testContext } from './test-context.js';

describe('accumulateGradients', () => {
  it('applies the mean of every k gradients once and holds still in between', () => {
    const opt = accumulateGradients(sgd({ learningRate: 0.1, momentum: 0.5 }), { every: 3 });
    const params = new Float64Array(1);
    const state = opt.init(params);
    const outputs: number[] = [];
    const grads = [1, 2, 6, 3, 3, 3];
    grads.forEach((g, step) => {
      const u = Float64Array.from([g]);
      opt.update(u, state, params, testContext(step));
      outputs.push(u[0]!);
    });
    // Group 1: mean 3, momentum buffer starts at 3: -0.3. Group 2: mean 3, b = 1.5 + 3 = 4.5: -0.45.
    expect(outputs.map((v) => v + 0)).toEqual([
      0,
      0,
      expect.closeTo(-0.3, 15),
      0,
      0,
      expect.closeTo(-0.45, 15),
    ]);
  });

  it('hands the inner schedule the count of applied updates', () => {
    const seen: number[] = [];
    const opt = accumulateGradients(
      sgd({
        learningRate: (t) => {
          seen.push(t);
          return 0.1;
        },
      }),
      { every: 2 },
    );
    const state = opt.init(new Float64Array(1));
    for (let step = 0; step < 6; step++)
      opt.update(new Float64Array(1), state, new Float64Array(1), testContext(step));
    expect(seen).toEqual([0, 1, 2]);
  });
});
