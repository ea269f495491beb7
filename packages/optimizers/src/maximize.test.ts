import { describe, expect, it } from 'vitest';
import { maximize } from './maximize.js';
import { sgd } from './sgd.js';
import { testContext } from './test-context.js';

describe('maximize', () => {
  it('negates the gradient so the chain ascends', () => {
    const t = maximize();
    const u = Float64Array.from([1, -2]);
    t.update(u, t.init(u), u, testContext());
    expect(Array.from(u)).toEqual([-1, 2]);
  });

  it('sgd({ maximize }) steps up the gradient: x + lr g', () => {
    const opt = sgd({ learningRate: 0.1, maximize: true });
    const u = Float64Array.from([3]);
    opt.update(u, opt.init(u), Float64Array.from([1.5]), testContext());
    expect(u[0]).toBeCloseTo(0.3, 15);
  });
});
