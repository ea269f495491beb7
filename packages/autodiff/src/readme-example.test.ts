import { type Batch, createRng, type Loader, matrix, type TrainEvent, train } from '@downhill/core';
import { adam } from '@downhill/optimizers';
import { describe, expect, it } from 'vitest';
import { bceWithLogitsLoss, fromMatrix, matmul, mul, slice, sum, tanh } from './index.js';
import { autodiffObjective } from './params/autodiff-objective.js';

// The README's two-tower model, trained on data drawn from a hidden two-tower model.
describe('README example: a two-tower model', () => {
  it('learns who takes which item', () => {
    const rng = createRng(21);
    const rows = 400;
    const hidden = Array.from({ length: 9 }, () => rng.normal());
    const x = new Float64Array(rows * 6);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < 6; j++) x[r * 6 + j] = rng.normal();
      let s = 0;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) s += x[r * 6 + i]! * hidden[i * 3 + j]! * x[r * 6 + 3 + j]!;
      y[r] = s > 0 ? 1 : 0;
    }
    const data: Batch = { x: matrix(x, rows, 6), y: matrix(y, rows, 1) };
    const loader: Loader<Batch> = { batchesPerEpoch: 1, samples: rows, batchSize: rows, epoch: () => [data] };

    const objective = autodiffObjective({
      parameters: { user: { shape: [3, 4] }, item: { shape: [3, 4] } },
      loss: (p, batch: Batch) => {
        const x = fromMatrix(batch.x);
        const rows = batch.x.rows;
        const u = tanh(
          matmul(
            slice(x, [
              [0, rows],
              [0, 3],
            ]),
            p.user!,
          ),
        );
        const v = tanh(
          matmul(
            slice(x, [
              [0, rows],
              [3, 6],
            ]),
            p.item!,
          ),
        );
        const score = sum(mul(u, v), { axis: 1 });
        return bceWithLogitsLoss(score, fromMatrix(batch.y));
      },
    });
    expect(objective.layout.map((b) => [b.name, b.offset])).toEqual([
      ['user', 0],
      ['item', 12],
    ]);
    const events: TrainEvent[] = [];
    train({
      objective,
      optimizer: adam({ learningRate: 0.05 }),
      params: (r) => objective.initialize(r),
      loader,
      epochs: 100,
      seed: 3,
      mode: 'sync',
    }).subscribe((e) => events.push(e));
    const steps = events.filter((e) => e.type === 'step');
    const end = events[events.length - 1]!;
    if (end.type !== 'end' || steps.length === 0) throw new Error('the run did not end');
    const first = steps[0]!.loss;
    const last = steps[steps.length - 1]!.loss;
    expect(last).toBeLessThan(0.5 * first);
    expect(last).toBeLessThan(0.35);
  });
});
