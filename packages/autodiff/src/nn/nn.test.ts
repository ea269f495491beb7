import { readFileSync } from 'node:fs';
import { type Batch, createRng, type Loader, matrix, type TrainEvent, train } from '@downhill/core';
import { mlp } from '@downhill/models';
import { adam } from '@downhill/optimizers';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropyLoss } from '../losses/losses.js';
import {
  batchNorm,
  conv2d,
  dense,
  dropout,
  flatten,
  layerNorm,
  maxPool,
  moduleObjective,
  relu,
  sequential,
} from './index.js';

/** digits.csv: 1,797 8x8 images (pixels 0..16, scaled to 0..1), label 0-9; shuffled with a seed, split 1,400 / 397. */
function digits(): { train: Batch; test: Batch } {
  const lines = readFileSync(new URL('../../../../../shared/data/digits.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  createRng(11).shuffle(lines);
  const part = (rows: string[]): Batch => {
    const x = new Float64Array(rows.length * 64);
    const y = new Float64Array(rows.length);
    rows.forEach((line, r) => {
      const v = line.split(',').map(Number);
      for (let j = 0; j < 64; j++) x[r * 64 + j] = v[j]! / 16;
      y[r] = v[64]!;
    });
    return { x: matrix(x, rows.length, 64), y: matrix(y, rows.length, 1) };
  };
  return { train: part(lines.slice(0, 1400)), test: part(lines.slice(1400)) };
}

function accuracy(
  logits: Float32Array | Float64Array,
  classes: number,
  y: Float64Array | Float32Array,
): number {
  let correct = 0;
  for (let r = 0; r < y.length; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    if (row.indexOf(Math.max(...row)) === y[r]) correct++;
  }
  return correct / y.length;
}

describe('layers as modules', () => {
  it('sequential names parameters layers.i.weight / bias and initializes them as nn.Linear does', () => {
    const model = sequential(dense(4, 8), relu(), dense(8, 3));
    expect(model.parameters.map((p) => [p.name, p.shape, p.kind])).toEqual([
      ['layers.0.weight', [8, 4], 'weight'],
      ['layers.0.bias', [8], 'bias'],
      ['layers.2.weight', [3, 8], 'weight'],
      ['layers.2.bias', [3], 'bias'],
    ]);
    const objective = moduleObjective({ model, loss: softmaxCrossEntropyLoss });
    expect(objective.layout.map((b) => [b.name, b.offset])).toEqual([
      ['layers.0.weight', 0],
      ['layers.0.bias', 32],
      ['layers.2.weight', 40],
      ['layers.2.bias', 64],
    ]);
    const p = objective.initialize(createRng(5));
    expect([...p]).toEqual([...objective.initialize(createRng(5))]);
    // U(-1/sqrt(fan_in), 1/sqrt(fan_in)): fan_in 4 for layer 0, 8 for layer 2.
    expect(Math.max(...p.subarray(0, 40).map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...p.subarray(40).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(8));
    expect(Math.max(...p.subarray(0, 40).map(Math.abs))).toBeGreaterThan(0.4);
    expect(() => dense(0, 3)).toThrow(/dense: inputs must be an integer >= 1, got 0/);
  });

  it('a sequential MLP has the analytic MLP gradient of @downhill/models', () => {
    const { train: data } = digits();
    const objective = moduleObjective({
      model: sequential(dense(64, 16), relu(), dense(16, 10)),
      loss: softmaxCrossEntropyLoss,
    });
    const oracle = mlp({ layers: [64, 16, 10] });
    const params = objective.initialize(createRng(2));
    const g1 = new Float64Array(objective.dimension);
    const g2 = new Float64Array(oracle.dimension);
    const l1 = objective.loss(params, data, g1);
    const l2 = oracle.loss(params, data, g2);
    expect(Math.abs(l1 - l2)).toBeLessThan(1e-12);
    for (let i = 0; i < g1.length; i++)
      expect(Math.abs(g1[i]! - g2[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(g2[i]!)));
    expect(() =>
      objective.loss(params, { x: matrix(new Float64Array(3), 1, 3), y: matrix(new Float64Array(1), 1, 1) }),
    ).toThrow(/dense\(64, 16\): input has shape \[1, 3\], its last axis must be 64/);
  });

  it('trains on digits through train() with mini-batches to at least 93% test accuracy', () => {
    const { train: data, test } = digits();
    const objective = moduleObjective({
      model: sequential(dense(64, 32), relu(), dense(32, 10)),
      loss: softmaxCrossEntropyLoss,
    });
    const batchSize = 100;
    const batches = Array.from({ length: 14 }, (_, b) => ({
      x: matrix(data.x.data.subarray(b * batchSize * 64, (b + 1) * batchSize * 64), batchSize, 64),
      y: matrix(data.y.data.subarray(b * batchSize, (b + 1) * batchSize), batchSize, 1),
    }));
    const loader: Loader<Batch> = { batchesPerEpoch: 14, samples: 1400, batchSize, epoch: () => batches };
    const events: TrainEvent[] = [];
    train({
      objective,
      optimizer: adam({ learningRate: 0.01 }),
      params: (rng) => objective.initialize(rng),
      loader,
      epochs: 30,
      seed: 4,
      mode: 'sync',
    }).subscribe((e) => events.push(e));
    const end = events[events.length - 1]!;
    if (end.type !== 'end') throw new Error('the run did not end');
    expect(end.reason).toBe('completed');
    const logits = objective.predict(end.params, test.x);
    expect(accuracy(logits.data, 10, test.y.data)).toBeGreaterThanOrEqual(0.93);
  });

  it('a small CNN (conv2d, max pooling, dropout, layer norm) trains on digits to at least 95% test accuracy', () => {
    const { train: data, test } = digits();
    const model = sequential(
      flatten({ shape: [-1, 1, 8, 8] }),
      conv2d(1, 8, { kernel: 3, padding: 1 }),
      relu(),
      maxPool({ kernel: 2 }),
      flatten(),
      layerNorm(128),
      dropout(0.1),
      dense(128, 10),
    );
    expect(model.parameters.map((p) => [p.name, p.shape])).toEqual([
      ['layers.1.weight', [8, 1, 3, 3]],
      ['layers.1.bias', [8]],
      ['layers.5.weight', [128]],
      ['layers.5.bias', [128]],
      ['layers.7.weight', [10, 128]],
      ['layers.7.bias', [10]],
    ]);
    const objective = moduleObjective({ model, loss: softmaxCrossEntropyLoss, seed: 1 });
    const batchSize = 100;
    const batches = Array.from({ length: 14 }, (_, b) => ({
      x: matrix(data.x.data.subarray(b * batchSize * 64, (b + 1) * batchSize * 64), batchSize, 64),
      y: matrix(data.y.data.subarray(b * batchSize, (b + 1) * batchSize), batchSize, 1),
    }));
    const loader: Loader<Batch> = { batchesPerEpoch: 14, samples: 1400, batchSize, epoch: () => batches };
    const events: TrainEvent[] = [];
    train({
      objective,
      optimizer: adam({ learningRate: 0.01 }),
      params: (rng) => objective.initialize(rng),
      loader,
      epochs: 5,
      seed: 4,
      mode: 'sync',
    }).subscribe((e) => events.push(e));
    const end = events[events.length - 1]!;
    if (end.type !== 'end') throw new Error('the run did not end');
    expect(end.reason).toBe('completed');
    expect(accuracy(objective.predict(end.params, test.x).data, 10, test.y.data)).toBeGreaterThanOrEqual(
      0.95,
    );
  });

  it('a compiled CNN with batch norm trains on digits to at least 95% test accuracy, predicting with running statistics', () => {
    const { train: data, test } = digits();
    const model = sequential(
      flatten({ shape: [-1, 1, 8, 8] }),
      conv2d(1, 8, { kernel: 3, padding: 1, bias: false }),
      batchNorm(8),
      relu(),
      maxPool({ kernel: 2 }),
      flatten(),
      dropout(0.1),
      dense(128, 10),
    );
    expect(model.buffers?.map((b) => b.name)).toEqual(['layers.2.running_mean', 'layers.2.running_var']);
    const objective = moduleObjective({ model, loss: softmaxCrossEntropyLoss, compile: true });
    const batchSize = 100;
    const batches = Array.from({ length: 14 }, (_, b) => ({
      x: matrix(data.x.data.subarray(b * batchSize * 64, (b + 1) * batchSize * 64), batchSize, 64),
      y: matrix(data.y.data.subarray(b * batchSize, (b + 1) * batchSize), batchSize, 1),
    }));
    const events: TrainEvent[] = [];
    train({
      objective,
      optimizer: adam({ learningRate: 0.01 }),
      params: (rng) => objective.initialize(rng),
      loader: { batchesPerEpoch: 14, samples: 1400, batchSize, epoch: () => batches },
      validation: { batchesPerEpoch: 1, samples: test.x.rows, batchSize: test.x.rows, epoch: () => [test] },
      epochs: 5,
      seed: 4,
      mode: 'sync',
      controllers: [objective.stateController],
    }).subscribe((e) => events.push(e));
    const end = events[events.length - 1]!;
    if (end.type !== 'end') throw new Error('the run did not end');
    expect(end.reason).toBe('completed');
    expect(accuracy(objective.predict(end.params, test.x).data, 10, test.y.data)).toBeGreaterThanOrEqual(
      0.95,
    );
    // The running statistics moved from their start (zeros, ones) towards the data's.
    expect(objective.buffers['layers.2.running_mean']!.every((v) => v !== 0)).toBe(true);
  });
});
