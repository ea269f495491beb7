import { describe, expect, it } from 'vitest';
import { chain } from './chain.js';
import { scaleByAdam } from './scale-by-adam.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { testContext } from './test-context.js';

describe('scaleByAdam', () => {
  it('with a fused learning rate gives the same bits as a separate scaleByLearningRate', () => {
    const fused = scaleByAdam({ learningRate: 0.03, amsgrad: true });
    const separate = chain(scaleByAdam({ amsgrad: true }), scaleByLearningRate(0.03));
    const params = new Float64Array(4);
    const a = fused.init(params);
    const b = separate.init(params);
    for (let t = 0; t < 5; t++) {
      const g = Float64Array.from([1.5, -2, 1e-3, 7].map((x) => x / (1 + t * t)));
      const h = g.slice();
      fused.update(g, a, params, testContext(t));
      separate.update(h, b, params, testContext(t));
      expect(Array.from(g)).toEqual(Array.from(h));
    }
    expect(fused.settable).toContain('learningRate');
  });
});
