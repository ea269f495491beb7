import {
  type Batch,
  createRng,
  type Loader,
  matrix,
  type Optimizer,
  type TrainEvent,
  train,
} from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { logisticRegression } from '../models/logistic-regression.js';
import { rosenbrock } from '../test-functions/classic-functions.js';

// The objectives plug into core's run loop unchanged. The optimizer here is the smallest possible
// gradient transformation (plain SGD), written in the test: @downhill/optimizers is not a dependency.
function plainSgd(learningRate: number): Optimizer<Record<string, never>> {
  return {
    name: 'sgd',
    settable: ['learningRate'],
    init: () => ({}),
    update(updates, _state, _params, ctx) {
      const lr = ctx.overrides.learningRate ?? learningRate;
      ctx.current.learningRate = lr;
      for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
    },
    describe: () => ({ name: 'sgd', learningRate }),
  };
}

function run<T>(spec: Parameters<typeof train<T>>[0]): TrainEvent[] {
  const events: TrainEvent[] = [];
  train(spec).subscribe({ next: (e) => events.push(e) });
  return events;
}

describe('models and test functions under core train()', () => {
  it('plain gradient descent on Rosenbrock from (-1.5, 2) reaches (1, 1)', () => {
    const events = run<void>({
      objective: rosenbrock(),
      optimizer: plainSgd(1e-3),
      params: [-1.5, 2],
      steps: 60_000,
      mode: 'sync',
    });
    const end = events.at(-1)!;
    expect(end.type).toBe('end');
    if (end.type !== 'end') return;
    expect(end.params[0]).toBeCloseTo(1, 5);
    expect(end.params[1]).toBeCloseTo(1, 5);
  });

  it('logistic regression trained from a loader reports its metrics per epoch', () => {
    const rng = createRng(5);
    const rows = 256;
    const x = Float32Array.from({ length: rows * 3 }, () => rng.uniform(-1, 1));
    const y = Float64Array.from({ length: rows }, (_, r) => (x[r * 3]! - x[r * 3 + 2]! > 0 ? 1 : 0));
    const all: Batch = { x: matrix(x, rows, 3), y: matrix(y, rows, 1) };
    const loader: Loader<Batch> = {
      batchesPerEpoch: rows / 32,
      samples: rows,
      batchSize: 32,
      *epoch() {
        for (let s = 0; s < rows; s += 32) {
          yield {
            x: matrix(x.subarray(s * 3, (s + 32) * 3), 32, 3),
            y: matrix(y.subarray(s, s + 32), 32, 1),
          };
        }
      },
    };
    const model = logisticRegression({ inputs: 3 });
    const events = run<Batch>({
      objective: model,
      optimizer: plainSgd(1),
      params: (r) => model.initialize(r),
      loader,
      epochs: 30,
      metrics: (params) => model.metrics(params, all),
      mode: 'sync',
    });
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(30);
    const last = epochs.at(-1)!;
    expect(JSON.stringify(last)).toMatch(/"accuracy":/);
    const end = events.at(-1)!;
    if (end.type !== 'end') throw new Error('no end event');
    expect(model.metrics(Float64Array.from(end.params), all).accuracy).toBeGreaterThan(0.97);
  });
});
