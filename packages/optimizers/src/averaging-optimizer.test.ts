import { describe, expect, it } from 'vitest';
import { averagedParams } from './averaging-optimizer.js';
import { chain } from './chain.js';
import { parameterEma } from './parameter-ema.js';
import { sgd } from './sgd.js';
import { skipNonFinite } from './skip-non-finite.js';
import { stochasticWeightAveraging } from './stochastic-weight-averaging.js';
import { testContext } from './test-context.js';

describe('averagedParams', () => {
  it('is undefined before any averaging, then finds the average through wrappers', () => {
    const swa = stochasticWeightAveraging(sgd({ learningRate: 0.1 }), { start: 1 });
    const opt = skipNonFinite(chain(swa));
    const params = Float64Array.from([1]);
    const state = opt.init(params);
    const step = (t: number) => {
      const u = Float64Array.from([2 * params[0]!]);
      opt.update(u, state, params, testContext(t));
      params[0]! += u[0]!;
    };
    step(0);
    expect(averagedParams(state)).toBeUndefined();
    expect(swa.averagedParams()).toBeUndefined();
    step(1);
    step(2);
    // 1 -> 0.8 -> 0.64 -> 0.512; average of the iterates from step 1: (0.64 + 0.512) / 2.
    expect(averagedParams(state)![0]).toBeCloseTo(0.576, 15);
  });

  it('EMA from a start step ignores earlier iterates', () => {
    const ema = parameterEma(sgd({ learningRate: 0.1 }), { decay: 0.5, start: 1 });
    const params = Float64Array.from([1]);
    const state = ema.init(params);
    for (let t = 0; t < 3; t++) {
      const u = Float64Array.from([2 * params[0]!]);
      ema.update(u, state, params, testContext(t));
      params[0]! += u[0]!;
    }
    // iterates 0.8 (ignored), 0.64 (copied), 0.512: 0.5 * 0.64 + 0.5 * 0.512 = 0.576.
    expect(averagedParams(state)![0]).toBeCloseTo(0.576, 15);
  });
});
