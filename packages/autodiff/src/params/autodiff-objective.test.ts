import { readFileSync } from 'node:fs';
import { type Batch, createRng, type Loader, matrix, type TrainEvent, train } from '@downhill/core';
import { mlp } from '@downhill/models';
import { adam } from '@downhill/optimizers';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropyLoss } from '../losses/losses.js';
import { add, div, mul } from '../ops/binary.js';
import { matmul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { transpose } from '../ops/transpose.js';
import { relu, tanh } from '../ops/unary.js';
import { fromMatrix, type Tensor, tensor } from '../tensor.js';
import { autodiffObjective } from './autodiff-objective.js';
import { parameterLayout } from './parameter-layout.js';
import { type Params, valueAndGrad } from './value-and-grad.js';

/** Iris (150 rows, 4 features, 3 classes) standardized per feature. */
function iris(): Batch {
  const lines = readFileSync(new URL('../../../../../shared/data/iris.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const rows = lines.length;
  const x = new Float64Array(rows * 4);
  const y = new Float64Array(rows);
  lines.forEach((line, r) => {
    const v = line.split(',').map(Number);
    for (let j = 0; j < 4; j++) x[r * 4 + j] = v[j]!;
    y[r] = v[4]!;
  });
  for (let j = 0; j < 4; j++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m += x[r * 4 + j]! / rows;
    let s = 0;
    for (let r = 0; r < rows; r++) s += (x[r * 4 + j]! - m) ** 2 / rows;
    for (let r = 0; r < rows; r++) x[r * 4 + j] = (x[r * 4 + j]! - m) / Math.sqrt(s);
  }
  return { x: matrix(x, rows, 4), y: matrix(y, rows, 1) };
}

/** The MLP of @downhill/models written with tensors: Z = A W^T + b per layer, ReLU between. */
function mlpObjective(sizes: readonly number[]) {
  const parameters: Record<string, { shape: number[] }> = {};
  for (let l = 1; l < sizes.length; l++) {
    parameters[`layer${l}.weights`] = { shape: [sizes[l]!, sizes[l - 1]!] };
    parameters[`layer${l}.bias`] = { shape: [sizes[l]!] };
  }
  return autodiffObjective<Batch>({
    name: 'autodiff-mlp',
    parameters,
    loss(p: Params, batch: Batch): Tensor {
      let a = fromMatrix(batch.x);
      for (let l = 1; l < sizes.length; l++) {
        const z = add(matmul(a, transpose(p[`layer${l}.weights`]!)), p[`layer${l}.bias`]!);
        a = l === sizes.length - 1 ? z : relu(z);
      }
      return softmaxCrossEntropyLoss(a, fromMatrix(batch.y));
    },
  });
}

describe('parameterLayout', () => {
  it('lays blocks out in order with the rows and cols of the models package', () => {
    const { layout, dimension } = parameterLayout({ w: [3, 2, 2], b: [3], s: { shape: [], kind: 'weight' } });
    expect(dimension).toBe(12 + 3 + 1);
    expect(layout.map(({ name, kind, offset, rows, cols }) => ({ name, kind, offset, rows, cols }))).toEqual([
      { name: 'w', kind: 'weight', offset: 0, rows: 3, cols: 4 },
      { name: 'b', kind: 'bias', offset: 12, rows: 1, cols: 3 },
      { name: 's', kind: 'weight', offset: 15, rows: 1, cols: 1 },
    ]);
    expect(() => parameterLayout({ w: [2, -1] })).toThrow(
      /parameters.w: shape\[1\] must be a non-negative integer/,
    );
  });
});

describe('valueAndGrad', () => {
  it('returns the value and gradient of each named parameter (hand-derived)', () => {
    // f = sum(tanh(x w)) / 2 with x = [1, 2], w = [[0.1], [0.3]]: d/dw = x^T (1 - tanh^2(x w)) / 2.
    const f = valueAndGrad((p: Params, x: Tensor) => div(sum(tanh(matmul(x, p.w!))), 2));
    const x = tensor([1, 2], { shape: [1, 2] });
    const { value, grads } = f({ w: tensor([0.1, 0.3], { shape: [2, 1] }) }, x);
    const t = Math.tanh(0.7);
    expect(value).toBeCloseTo(t / 2, 15);
    expect(grads.w!.shape).toEqual([2, 1]);
    expect([...grads.w!.data].map((v) => +v.toFixed(14))).toEqual(
      [(1 - t * t) / 2, (2 * (1 - t * t)) / 2].map((v) => +v.toFixed(14)),
    );
    expect(() => valueAndGrad((p: Params) => mul(p.w!, 2))({ w: tensor([1, 2]) }, undefined)).toThrow(
      /one-element tensor, got shape \[2\]/,
    );
  });
});

describe('autodiffObjective', () => {
  it('an MLP written with tensors has the gradient of the analytic MLP of @downhill/models', () => {
    const sizes = [4, 8, 5, 3];
    const data = iris();
    const ours = mlpObjective(sizes);
    const theirs = mlp({ layers: sizes });
    expect(ours.dimension).toBe(theirs.dimension);
    expect(ours.layout.map((b) => [b.name, b.offset, b.rows, b.cols])).toEqual(
      theirs.layout.map((b) => [b.name, b.offset, b.rows, b.cols]),
    );
    const rng = createRng(3);
    for (let trial = 0; trial < 3; trial++) {
      const params = Float64Array.from({ length: ours.dimension }, () => rng.normal(0, 0.7));
      const g1 = new Float64Array(ours.dimension);
      const g2 = new Float64Array(ours.dimension);
      const l1 = ours.loss(params, data, g1);
      const l2 = theirs.loss(params, data, g2);
      expect(Math.abs(l1 - l2)).toBeLessThan(1e-12 * (1 + Math.abs(l2)));
      for (let i = 0; i < g1.length; i++)
        expect(Math.abs(g1[i]! - g2[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(g2[i]!)));
      // Without a gradient buffer the value is the same and nothing is written.
      expect(ours.loss(params, data)).toBe(l1);
    }
  });

  it('trains through train() on iris to at least 95% training accuracy', () => {
    const data = iris();
    const objective = mlpObjective([4, 16, 3]);
    const loader: Loader<Batch> = { batchesPerEpoch: 1, samples: 150, batchSize: 150, epoch: () => [data] };
    const events: TrainEvent[] = [];
    train({
      objective,
      optimizer: adam({ learningRate: 0.05 }),
      params: (rng) => objective.initialize(rng),
      loader,
      epochs: 200,
      seed: 1,
      mode: 'sync',
    }).subscribe((e) => events.push(e));
    const end = events[events.length - 1]!;
    if (end.type !== 'end') throw new Error('the run did not end');
    expect(end.reason).toBe('completed');
    const p = objective.unflatten(end.params);
    const x = fromMatrix(data.x);
    const logits = add(
      matmul(
        relu(add(matmul(x, transpose(p['layer1.weights']!)), p['layer1.bias']!)),
        transpose(p['layer2.weights']!),
      ),
      p['layer2.bias']!,
    );
    let correct = 0;
    for (let r = 0; r < 150; r++) {
      const row = logits.data.subarray(r * 3, r * 3 + 3);
      const predicted = row.indexOf(Math.max(...row));
      if (predicted === data.y.data[r]) correct++;
    }
    expect(correct / 150).toBeGreaterThanOrEqual(0.95);
  });

  it('names what is wrong with the call', () => {
    const objective = mlpObjective([4, 3]);
    expect(() => objective.loss(new Float64Array(2), iris())).toThrow(
      /autodiff-mlp: params has length 2, the objective has 15 parameters/,
    );
    const bad = autodiffObjective({ parameters: { w: { shape: [2] } }, loss: (p) => p.w! });
    expect(() => bad.loss(new Float64Array(2), undefined, new Float64Array(2))).toThrow(
      /autodiff: loss must return a one-element tensor, got shape \[2\]/,
    );
  });
});
