import { createRng, type Optimizer } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { adam } from './adam.js';
import { amsgrad } from './amsgrad.js';
import { chain, named } from './chain.js';
import { scaleByAdam } from './scale-by-adam.js';
import { scaleByLearningRate } from './scale-by-learning-rate.js';
import { testContext } from './test-context.js';

// The oracle for a fused step is the unfused path: update, then params += updates.
function unfused(
  opt: Optimizer,
  state: unknown,
  params: Float64Array,
  grad: Float64Array,
  step: number,
): void {
  const u = grad.slice();
  opt.update(u, state, params, testContext(step));
  for (let i = 0; i < params.length; i++) params[i]! += u[i]!;
}

describe('fused steps (update and apply in one pass)', () => {
  const cases: [string, () => Optimizer][] = [
    ['adam', () => adam({ learningRate: 0.01 })],
    ['adam with coupled weight decay', () => adam({ learningRate: 0.05, weightDecay: 0.1 })],
    ['amsgrad', () => amsgrad({ learningRate: 0.02 })],
    ['adam with a learning-rate schedule', () => adam({ learningRate: (t: number) => 0.1 / (1 + t) })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: bit for bit the parameters and state of update + apply, step after step`, () => {
      const rng = createRng(name.length);
      const a = make();
      const b = make();
      expect(a.fusedStep).toBeTypeOf('function');
      const p0 = Float64Array.from({ length: 37 }, () => rng.normal());
      const pa = p0.slice();
      const pb = p0.slice();
      const sa = a.init(pa);
      const sb = b.init(pb);
      for (let step = 0; step < 25; step++) {
        const grad = Float64Array.from({ length: 37 }, () => rng.normal() * 3);
        unfused(a, sa, pa, grad, step);
        expect(b.fusedStep!(grad.slice(), sb, pb, testContext(step))).toBe(true);
        expect(pb).toEqual(pa);
        expect(sb).toEqual(sa);
      }
    });
  }

  it('leaves the parameters as they were when an update overflows, and advances the state as update does', () => {
    const a = adam({ learningRate: 1e308 });
    const b = adam({ learningRate: 1e308 });
    const params = Float64Array.of(1, 2, -1e308, 4, 5);
    const before = params.slice();
    const sa = a.init(params);
    const sb = b.init(params);
    const grad = Float64Array.of(0.5, -0.25, 1, 0, 2);
    a.update(grad.slice(), sa, params, testContext(0));
    expect(b.fusedStep!(grad.slice(), sb, params, testContext(0))).toBe(false);
    expect(params).toEqual(before);
    expect(sb).toEqual(sa);
  });

  it('is kept by chain (when the last transform has one) and named, and dropped by a spread copy', () => {
    expect(scaleByAdam().fusedStep).toBeTypeOf('function');
    expect(chain(scaleByAdam(), scaleByLearningRate(0.1)).fusedStep).toBeUndefined();
    expect(named('x', {}, chain(scaleByAdam({ learningRate: 0.1 }))).fusedStep).toBeTypeOf('function');
    // A copy that overrides update must not keep a fused step that would bypass the override.
    const copy = { ...adam(), update: () => undefined };
    expect(copy.fusedStep).toBeUndefined();
    expect(Object.keys(adam())).not.toContain('fusedStep');
  });
});
