// Small, hand-checkable objective and optimizer for the run-loop tests (not exported).

import type { Loader } from './loader.js';
import type { Batch, Objective } from './objective.js';
import type { Optimizer } from './optimizer.js';
import { createRng, deriveSeed } from './rng.js';
import { matrix } from './vector.js';

/** f(w) = mean over rows of 1/2 (x . w - y)^2: least squares without bias. */
export function leastSquares(dimension: number): Objective<Batch> {
  return {
    dimension,
    loss(w, batch, grad) {
      const { x, y } = batch;
      if (grad) grad.fill(0);
      let total = 0;
      for (let r = 0; r < x.rows; r++) {
        let pred = 0;
        for (let c = 0; c < x.cols; c++) pred += x.data[r * x.cols + c]! * w[c]!;
        const err = pred - y.data[r]!;
        total += 0.5 * err * err;
        if (grad) for (let c = 0; c < x.cols; c++) grad[c]! += (err * x.data[r * x.cols + c]!) / x.rows;
      }
      return total / x.rows;
    },
    describe: () => ({ name: 'leastSquares', dimension }),
  };
}

/** f(w) = sum w_i^2 with no data: gradient 2w. */
export const bowl: Objective<void> = {
  dimension: 2,
  loss(w, _batch, grad) {
    if (grad) for (let i = 0; i < w.length; i++) grad[i] = 2 * w[i]!;
    return w[0]! * w[0]! + w[1]! * w[1]!;
  },
};

/** Plain SGD: updates = -lr * grad, with a live-settable learning rate. */
export function sgd(learningRate: number): Optimizer<{ count: number }> {
  return {
    name: 'sgd',
    settable: ['learningRate'],
    init: () => ({ count: 0 }),
    update(updates, state, _params, ctx) {
      const lr = ctx.overrides.learningRate ?? learningRate;
      ctx.current.learningRate = lr;
      for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
      state.count++;
    },
    describe: () => ({ name: 'sgd', learningRate }),
  };
}

/** In-order mini-batches over rows (views, no shuffling). */
export function rowLoader(xs: number[][], ys: number[], batchSize: number): Loader<Batch> {
  const cols = xs[0]!.length;
  const X = Float64Array.from(xs.flat());
  const Y = Float64Array.from(ys);
  const n = ys.length;
  const batchesPerEpoch = Math.ceil(n / batchSize);
  return {
    batchesPerEpoch,
    samples: n,
    batchSize,
    *epoch() {
      for (let start = 0; start < n; start += batchSize) {
        const rows = Math.min(batchSize, n - start);
        yield {
          x: matrix(X.subarray(start * cols, (start + rows) * cols), rows, cols),
          y: matrix(Y.subarray(start, start + rows), rows, 1),
        };
      }
    },
  };
}

/** Heavy-ball momentum with a Float64Array velocity: state a checkpoint must carry exactly. */
export function momentum(learningRate: number, beta: number): Optimizer<{ velocity: Float64Array }> {
  return {
    name: 'momentum',
    settable: ['learningRate'],
    init: (params) => ({ velocity: new Float64Array(params.length) }),
    update(updates, state, _params, ctx) {
      const lr = ctx.overrides.learningRate ?? learningRate;
      ctx.current.learningRate = lr;
      for (let i = 0; i < updates.length; i++) {
        state.velocity[i] = beta * state.velocity[i]! + updates[i]!;
        updates[i] = -lr * state.velocity[i]!;
      }
    },
    describe: () => ({ name: 'momentum', learningRate, beta }),
  };
}

/** Mini-batches in an order shuffled from seed and epoch only (as the data package's loaders do). */
export function shuffledLoader(xs: number[][], ys: number[], batchSize: number, seed: number): Loader<Batch> {
  const cols = xs[0]!.length;
  const n = ys.length;
  return {
    batchesPerEpoch: Math.ceil(n / batchSize),
    samples: n,
    batchSize,
    *epoch(epoch) {
      const order = createRng(deriveSeed(seed, epoch)).shuffle(Array.from({ length: n }, (_, i) => i));
      for (let start = 0; start < n; start += batchSize) {
        const rows = order.slice(start, start + batchSize);
        yield {
          x: matrix(Float64Array.from(rows.flatMap((r) => xs[r]!)), rows.length, cols),
          y: matrix(Float64Array.from(rows.map((r) => ys[r]!)), rows.length, 1),
        };
      }
    },
  };
}
