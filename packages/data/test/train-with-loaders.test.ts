import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Batch,
  type Objective,
  type Optimizer,
  type TrainEvent,
  type TrainSpec,
  train,
} from '@downhill/core';
import { describe, expect, it } from 'vitest';
import {
  csvSource,
  fromTypedArrays,
  fullBatchLoader,
  miniBatchLoader,
  noisyLine,
  streamedLoader,
} from '../src/index.js';

/** Mean squared error of y = w0 + w1 x; gradient 2/n sum(r) and 2/n sum(r x), r = w0 + w1 x - y. */
const line: Objective<Batch> = {
  dimension: 2,
  loss(w, batch, grad) {
    const n = batch.x.rows;
    let loss = 0;
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < n; i++) {
      const x = batch.x.data[i]!;
      const r = w[0]! + w[1]! * x - batch.y.data[i]!;
      loss += r * r;
      g0 += r;
      g1 += r * x;
    }
    if (grad) {
      grad[0] = (2 * g0) / n;
      grad[1] = (2 * g1) / n;
    }
    return loss / n;
  },
};

/** Plain gradient descent, w <- w - lr * g, as a core Optimizer. */
function sgd(learningRate: number): Optimizer<null> {
  return {
    name: 'sgd',
    settable: ['learningRate'],
    describe: () => ({ name: 'sgd', learningRate }),
    init: () => null,
    update(updates, _state, _params, ctx) {
      ctx.current.learningRate = learningRate;
      for (let i = 0; i < updates.length; i++) updates[i] = -learningRate * updates[i]!;
    },
  };
}

function closedForm(xs: ArrayLike<number>, ys: ArrayLike<number>): [number, number] {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]! / n;
    my += ys[i]! / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return [my - (sxy / sxx) * mx, sxy / sxx];
}

function run(spec: TrainSpec<Batch>): Promise<TrainEvent[]> {
  return new Promise((resolve, reject) => {
    const events: TrainEvent[] = [];
    train(spec).subscribe({ next: (e) => events.push(e), error: reject, complete: () => resolve(events) });
  });
}

describe('loaders driving core train()', () => {
  it('mini-batch and full-batch loaders converge to the least-squares line in sync mode', async () => {
    const data = noisyLine({ samples: 200, seed: 3 });
    const [b, m] = closedForm(data.x.data, data.y.data);
    for (const [loader, tolerance] of [
      [miniBatchLoader(data, { batchSize: 16, seed: 1 }), 0.2],
      [fullBatchLoader(data), 1e-2],
    ] as const) {
      const events = await run({
        objective: line,
        optimizer: sgd(0.05),
        params: [0, 0],
        loader,
        epochs: 400,
        mode: 'sync',
      });
      const start = events[0] as Extract<TrainEvent, { type: 'start' }>;
      expect(start.config.batchesPerEpoch).toBe(loader.batchesPerEpoch);
      expect(start.config.data).toMatchObject({ samples: 200 });
      const steps = events.filter((e) => e.type === 'step');
      expect(steps).toHaveLength(400 * loader.batchesPerEpoch);
      const end = events.at(-1) as Extract<TrainEvent, { type: 'end' }>;
      expect(end.reason).toBe('completed');
      // Mini-batch noise keeps SGD near, not at, the minimum; full batch descends onto it.
      expect(Math.abs(end.params[0]! - b)).toBeLessThan(tolerance);
      expect(Math.abs(end.params[1]! - m)).toBeLessThan(tolerance);
    }
  });

  it('a streamed CSV loader drives a sliced run epoch after epoch', async () => {
    const data = noisyLine({ samples: 300, seed: 5 });
    const path = join(tmpdir(), `downhill-data-train-${process.pid}.csv`);
    let text = '';
    for (let i = 0; i < 300; i++) text += `${data.x.data[i]},${data.y.data[i]}\n`;
    writeFileSync(path, text);
    const loader = streamedLoader(csvSource({ input: path }), {
      batchSize: 32,
      shuffleBuffer: 64,
      samples: 300,
    });
    const events = await run({ objective: line, optimizer: sgd(0.05), params: [0, 0], loader, epochs: 60 });
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(60);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(60 * 10);
    const end = events.at(-1) as Extract<TrainEvent, { type: 'end' }>;
    expect(end.reason).toBe('completed');
    const [b, m] = closedForm(data.x.data, data.y.data);
    expect(end.params[0]).toBeCloseTo(b, 0);
    expect(end.params[1]).toBeCloseTo(m, 0);
  });

  it('a run resumed mid-epoch sees the same batches as the uninterrupted run', async () => {
    // Sample i has x = i: a recording objective notes which samples each step saw.
    const n = 50;
    const data = fromTypedArrays({
      x: Float64Array.from({ length: n }, (_, i) => i),
      y: new Float64Array(n),
    });
    const record = (seen: string[]): Objective<Batch> => ({
      dimension: 1,
      loss(_w, batch, grad) {
        seen.push(Array.from(batch.x.data.subarray(0, batch.x.rows)).join(','));
        if (grad) grad[0] = 0;
        return 0;
      },
    });
    const spec = (seen: string[]) => ({
      objective: record(seen),
      optimizer: sgd(0.1),
      params: [0],
      loader: miniBatchLoader(data, { batchSize: 8, seed: 11 }),
      epochs: 3,
      mode: 'sync' as const,
    });
    const whole: string[] = [];
    await run(spec(whole));
    expect(whole).toHaveLength(21);
    const resumed: string[] = [];
    await run({ ...spec(resumed), resume: { step: 10, optimizerState: null } });
    expect(resumed).toEqual(whole.slice(10));
  });
});
