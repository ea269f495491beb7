import { createRng, matrix } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { linearRegression } from './linear-regression.js';
import { logisticRegression } from './logistic-regression.js';
import { mlp } from './mlp.js';
import type { Model } from './model.js';
import { polynomialRegression } from './polynomial-regression.js';
import { softmaxRegression } from './softmax-regression.js';

function descend(
  model: Model,
  params: Float64Array,
  batch: Parameters<Model['loss']>[1],
  step: number,
  n: number,
) {
  const g = new Float64Array(model.dimension);
  for (let i = 0; i < n; i++) {
    model.loss(params, batch, g);
    for (let k = 0; k < params.length; k++) params[k]! -= step * g[k]!;
  }
  return params;
}

describe('linear regression', () => {
  it('hand-derived loss and gradient for one row', () => {
    // x = [1, 2], W = [0.5, -1], b = 0.25: p = 0.5 - 2 + 0.25 = -1.25; y = 0.75: r = -2;
    // mse = 4, dL/dp = -4, dW = -4 * [1, 2], db = -4.
    const model = linearRegression({ inputs: 2 });
    const g = new Float64Array(3);
    const value = model.loss(
      new Float64Array([0.5, -1, 0.25]),
      {
        x: matrix(new Float64Array([1, 2]), 1, 2),
        y: matrix(new Float64Array([0.75]), 1, 1),
      },
      g,
    );
    expect(value).toBe(4);
    expect([...g]).toEqual([-4, -8, -4]);
  });

  it('descent recovers the generating weights of noiseless data (two outputs); R^2 = 1', () => {
    const rng = createRng(3);
    const rows = 40;
    const x = matrix(
      Float64Array.from({ length: rows * 2 }, () => rng.uniform(-1, 1)),
      rows,
      2,
    );
    const y = matrix(new Float64Array(rows * 2), rows, 2);
    for (let r = 0; r < rows; r++) {
      const a = x.data[r * 2]!;
      const b = x.data[r * 2 + 1]!;
      y.data[r * 2] = 2 * a - 3 * b + 0.5;
      y.data[r * 2 + 1] = -a + 0.25;
    }
    const model = linearRegression({ inputs: 2, outputs: 2 });
    const params = descend(model, model.initialize(createRng(0)), { x, y }, 0.3, 3000);
    const expected = [2, -3, -1, 0, 0.5, 0.25];
    for (let i = 0; i < 6; i++) expect(params[i]).toBeCloseTo(expected[i]!, 8);
    const m = model.metrics(params, { x, y });
    expect(m.r2).toBeCloseTo(1, 12);
    expect(m.rmse).toBeLessThan(1e-8);
    expect(model.predict(params, matrix(new Float64Array([1, 1]), 1, 2))[0]).toBeCloseTo(-0.5, 8);
  });

  it('scratch buffers grow for a larger batch and results do not depend on call history', () => {
    const rng = createRng(5);
    const model = linearRegression({ inputs: 3, outputs: 2 });
    const fresh = linearRegression({ inputs: 3, outputs: 2 });
    const params = Float64Array.from({ length: model.dimension }, () => rng.normal());
    const batch = (rows: number) => ({
      x: matrix(
        Float64Array.from({ length: rows * 3 }, () => rng.normal()),
        rows,
        3,
      ),
      y: matrix(
        Float64Array.from({ length: rows * 2 }, () => rng.normal()),
        rows,
        2,
      ),
    });
    const small = batch(2);
    const big = batch(9);
    const g1 = new Float64Array(model.dimension);
    const g2 = new Float64Array(model.dimension);
    model.loss(params, small, g1);
    model.loss(params, big, g1);
    const again = model.loss(params, small, g1);
    expect(again).toBe(fresh.loss(params, small, g2));
    expect([...g1]).toEqual([...g2]);
  });

  it('names bad shapes', () => {
    const model = linearRegression({ inputs: 2 });
    const x = matrix(new Float64Array(3), 1, 3);
    const y = matrix(new Float64Array(1), 1, 1);
    expect(() => model.loss(new Float64Array(3), { x, y })).toThrow(
      /batch x has 3 columns, the model takes 2 inputs/,
    );
    expect(() => model.loss(new Float64Array(4), { x, y })).toThrow(/params has length 4, the model has 3/);
    expect(() => linearRegression({ inputs: 0 })).toThrow(/inputs must be an integer >= 1, got 0/);
  });
});

describe('polynomial regression', () => {
  it('predicts b + w1 x + w2 x^2 and fits a parabola exactly', () => {
    const model = polynomialRegression({ degree: 2 });
    expect(model.dimension).toBe(3);
    const at2 = model.predict(new Float64Array([3, -1, 0.5]), matrix(new Float64Array([2]), 1, 1));
    expect(at2[0]).toBe(0.5 + 3 * 2 - 4);
    const xs = Float64Array.from({ length: 21 }, (_, i) => -1 + i / 10);
    const x = matrix(xs, 21, 1);
    const y = matrix(
      xs.map((v) => 1 + 2 * v - v * v),
      21,
      1,
    );
    const params = descend(model, new Float64Array(3), { x, y }, 0.5, 20000);
    expect(params[0]).toBeCloseTo(2, 8);
    expect(params[1]).toBeCloseTo(-1, 8);
    expect(params[2]).toBeCloseTo(1, 8);
    expect(model.metrics(params, { x, y }).r2).toBeCloseTo(1, 12);
  });
});

describe('logistic regression', () => {
  it('hand-derived loss and gradient', () => {
    // x = [1, 2], w = [0.5, -0.25], b = 0.1: z = 0.1; y = 1: loss = log(1 + e^-0.1), dz = s(0.1) - 1.
    const model = logisticRegression({ inputs: 2 });
    const g = new Float64Array(3);
    const value = model.loss(
      new Float64Array([0.5, -0.25, 0.1]),
      { x: matrix(new Float32Array([1, 2]), 1, 2), y: matrix(new Float64Array([1]), 1, 1) },
      g,
    );
    expect(value).toBeCloseTo(Math.log(1 + Math.exp(-0.1)), 15);
    const dz = 1 / (1 + Math.exp(-0.1)) - 1;
    expect(g[0]).toBeCloseTo(dz, 15);
    expect(g[1]).toBeCloseTo(2 * dz, 15);
    expect(g[2]).toBeCloseTo(dz, 15);
  });

  it('learns a linearly separable rule; accuracy 1 and probabilities from predict', () => {
    const rng = createRng(11);
    const rows = 200;
    const x = matrix(
      Float32Array.from({ length: rows * 2 }, () => rng.uniform(-1, 1)),
      rows,
      2,
    );
    const y = matrix(new Float64Array(rows), rows, 1);
    for (let r = 0; r < rows; r++) {
      // Keep a margin of 0.1 around the boundary x1 + x2 / 2 = 0.1, so the classes are well separated.
      let score = x.data[r * 2]! + 0.5 * x.data[r * 2 + 1]! - 0.1;
      if (Math.abs(score) < 0.1) {
        x.data[r * 2] = x.data[r * 2]! + (score >= 0 ? 0.2 : -0.2);
        score = x.data[r * 2]! + 0.5 * x.data[r * 2 + 1]! - 0.1;
      }
      y.data[r] = score > 0 ? 1 : 0;
    }
    const model = logisticRegression({ inputs: 2 });
    const params = descend(model, new Float64Array(3), { x, y }, 2, 3000);
    const m = model.metrics(params, { x, y });
    expect(m.accuracy).toBe(1);
    const p = model.predict(params, matrix(new Float64Array([1, 1, -1, -1]), 2, 2));
    expect(p[0]).toBeGreaterThan(0.99);
    expect(p[1]).toBeLessThan(0.01);
  });
});

describe('softmax regression', () => {
  it('hand-derived two-class case equals logistic regression on the logit difference', () => {
    // With W = [[w], [0]], b = [c, 0], softmax CE = BCE of logit w x + c for class 0.
    const soft = softmaxRegression({ inputs: 1, classes: 2 });
    const x = matrix(new Float64Array([0.3, -2]), 2, 1);
    const y = matrix(new Float64Array([0, 1]), 2, 1);
    const value = soft.loss(new Float64Array([1.5, 0, -0.2, 0]), { x, y });
    const z = [1.5 * 0.3 - 0.2, 1.5 * -2 - 0.2];
    const expected = (Math.log(1 + Math.exp(-z[0]!)) + Math.log(1 + Math.exp(z[1]!))) / 2;
    expect(value).toBeCloseTo(expected, 14);
    const p = soft.predict(new Float64Array([1.5, 0, -0.2, 0]), x);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 15);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-z[0]!)), 15);
    expect(soft.metrics(new Float64Array([1.5, 0, -0.2, 0]), { x, y }).accuracy).toBe(1);
  });
});

describe('mlp', () => {
  it('hand-derived backprop through a 1-1-1 ReLU network', () => {
    // x = 2, w1 = 0.5, b1 = 0, w2 = 3, b2 = 1: h = 1, out = 4; y = 1: mse = 9, dout = 6,
    // dw2 = 6 h = 6, db2 = 6, dh = 6 w2 = 18, dw1 = 18 x = 36, db1 = 18.
    const model = mlp({ layers: [1, 1, 1], output: 'linear', loss: meanSquaredError });
    const g = new Float64Array(4);
    const value = model.loss(
      new Float64Array([0.5, 0, 3, 1]),
      { x: matrix(new Float64Array([2]), 1, 1), y: matrix(new Float64Array([1]), 1, 1) },
      g,
    );
    expect(value).toBe(9);
    expect([...g]).toEqual([36, 18, 6, 6]);
  });

  it('learns XOR with tanh hidden units (a linear model cannot)', () => {
    const x = matrix(new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]), 4, 2);
    const y = matrix(new Float64Array([0, 1, 1, 0]), 4, 1);
    const model = mlp({ layers: [2, 8, 2], activation: 'tanh' });
    const params = descend(model, model.initialize(createRng(2)), { x, y }, 0.5, 3000);
    const m = model.metrics(params, { x, y });
    expect(m.accuracy).toBe(1);
    expect(m.loss).toBeLessThan(0.05);
    const p = model.predict(params, x);
    for (let r = 0; r < 4; r++) expect(p[r * 2]! + p[r * 2 + 1]!).toBeCloseTo(1, 14);
  });

  it('describe is plain data; bad options are named', () => {
    const model = mlp({ layers: [4, 3, 2], activation: 'leaky-relu', leakySlope: 0.2 });
    expect(JSON.parse(JSON.stringify(model.describe()))).toMatchObject({
      name: 'mlp',
      layers: [4, 3, 2],
      activation: 'leaky-relu',
      leakySlope: 0.2,
      parameters: 4 * 3 + 3 + 3 * 2 + 2,
    });
    expect(() => mlp({ layers: [3] })).toThrow(/at least 2 sizes/);
    expect(() => mlp({ layers: [3, 0, 2] })).toThrow(/layers\[1\] must be an integer >= 1/);
    expect(() => mlp({ layers: [3, 1] })).toThrow(/softmax output needs >= 2 units/);
    // biome-ignore lint/suspicious/noExplicitAny: an invalid name on purpose
    expect(() => mlp({ layers: [3, 2], activation: 'swish' as any })).toThrow(/activation must be one of/);
  });
});
