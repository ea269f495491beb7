import { createRng, matrix } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import { constant, normal, uniform, zeros } from './basic-initializers.js';
import type { Initializer } from './initializer.js';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
} from './variance-scaling.js';

function stats(init: Initializer, fanIn: number, fanOut: number, n = 200_000) {
  const out = new Float64Array(n);
  init.fill(out, { fanIn, fanOut }, createRng(1));
  let mean = 0;
  let max = 0;
  for (const v of out) {
    mean += v;
    max = Math.max(max, Math.abs(v));
  }
  mean /= n;
  let variance = 0;
  for (const v of out) variance += (v - mean) ** 2;
  return { mean, variance: variance / n, max };
}

describe('initializers', () => {
  // Published variances: Glorot 2/(in+out), He 2/in, LeCun 1/in; uniform bounds sqrt(3 var).
  const cases: [Initializer, number, number, number, number | undefined][] = [
    [glorotUniform, 100, 50, 2 / 150, Math.sqrt(6 / 150)],
    [glorotNormal, 100, 50, 2 / 150, undefined],
    [heUniform, 100, 50, 2 / 100, Math.sqrt(6 / 100)],
    [heNormal, 100, 50, 2 / 100, undefined],
    [lecunUniform, 100, 50, 1 / 100, Math.sqrt(3 / 100)],
    [lecunNormal, 100, 50, 1 / 100, undefined],
    [uniform(-2, 2), 1, 1, 16 / 12, 2],
    [normal(0, 0.3), 1, 1, 0.09, undefined],
  ];
  for (const [init, fanIn, fanOut, variance, bound] of cases) {
    it(`${init.name}: variance ${variance.toPrecision(3)}${bound ? `, bound ${bound.toPrecision(3)}` : ''}`, () => {
      const s = stats(init, fanIn, fanOut);
      expect(Math.abs(s.mean)).toBeLessThan(4 * Math.sqrt(variance / 200_000));
      expect(s.variance / variance).toBeGreaterThan(0.98);
      expect(s.variance / variance).toBeLessThan(1.02);
      if (bound !== undefined) {
        expect(s.max).toBeLessThanOrEqual(bound);
        expect(s.max).toBeGreaterThan(bound * 0.999);
      }
    });
  }

  it('zeros and constant', () => {
    const out = new Float64Array(3).fill(5);
    zeros.fill(out, { fanIn: 1, fanOut: 1 }, createRng(0));
    expect([...out]).toEqual([0, 0, 0]);
    constant(0.5).fill(out, { fanIn: 1, fanOut: 1 }, createRng(0));
    expect([...out]).toEqual([0.5, 0.5, 0.5]);
  });

  it('same seed, same parameters; another seed, others', () => {
    const model = mlp({ layers: [4, 8, 3] });
    const a = model.initialize(createRng(42));
    const b = model.initialize(createRng(42));
    const c = model.initialize(createRng(43));
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
    // Biases are zeros by default.
    const firstBias = model.layout[1]!;
    expect([...a.subarray(firstBias.offset, firstBias.offset + firstBias.cols)]).toEqual(
      new Array(8).fill(0),
    );
  });

  it('why zero init fails for hidden layers: constant init keeps hidden units identical under descent', () => {
    // tanh network with every weight equal: all hidden units get the same gradient at every step,
    // so after training they are still copies of each other (the symmetry is never broken).
    const model = mlp({ layers: [3, 4, 2], activation: 'tanh' });
    const params = model.initialize(createRng(0), { weights: constant(0.1) });
    const rng = createRng(1);
    const x = matrix(
      Float64Array.from({ length: 30 }, () => rng.uniform(-1, 1)),
      10,
      3,
    );
    const y = matrix(
      Float64Array.from({ length: 10 }, () => rng.int(2)),
      10,
      1,
    );
    const g = new Float64Array(model.dimension);
    for (let step = 0; step < 50; step++) {
      model.loss(params, { x, y }, g);
      for (let i = 0; i < params.length; i++) params[i]! -= 0.5 * g[i]!;
    }
    const w1 = model.layout[0]!;
    const row = (r: number) => [...params.subarray(w1.offset + r * 3, w1.offset + r * 3 + 3)];
    expect(row(0)).not.toEqual([0.1, 0.1, 0.1]);
    for (let r = 1; r < 4; r++) expect(row(r)).toEqual(row(0));
    // With ReLU and all-zero weights no gradient reaches the first layer at all.
    const relu = mlp({ layers: [3, 4, 2] });
    const zero = relu.initialize(createRng(0), { weights: zeros });
    relu.loss(zero, { x, y }, g);
    expect([...g.subarray(0, 12)]).toEqual(new Array(12).fill(0));
  });

  it('names bad arguments', () => {
    expect(() => uniform(1, 1)).toThrow(/low < high/);
    expect(() => heNormal.fill(new Float64Array(1), { fanIn: 0, fanOut: 1 }, createRng(0))).toThrow(
      /fanIn and fanOut/,
    );
  });
});
