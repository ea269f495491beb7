// A logistic-regression example for the controller tests (not exported; @downhill/models is
// written separately): seeded synthetic data, a fused loss + gradient, and an in-order loader.
import { type Batch, createRng, type Loader, matrix, type Objective } from '@downhill/core';

export interface LogisticData {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * `rows` samples of `features` standard-normal inputs plus a constant 1 (the bias column), labels
 * drawn as Bernoulli(sigmoid(x . w*)) for a seeded w* with entries of size `scale`.
 */
export function logisticData(options: {
  rows: number;
  features: number;
  seed: number;
  scale?: number;
}): LogisticData {
  const { rows, features, seed, scale = 1 } = options;
  const rng = createRng(seed);
  const cols = features + 1;
  const truth = Array.from({ length: cols }, () => rng.normal(0, scale));
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = 0;
    for (let c = 0; c < cols; c++) {
      const v = c === features ? 1 : rng.normal();
      x[r * cols + c] = v;
      z += v * truth[c]!;
    }
    y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x, y, rows, cols };
}

/**
 * Mean binary cross-entropy of sigmoid(x . w): per row `log(1 + e^z) - y z` (written stably),
 * gradient `(sigmoid(z) - y) x / rows`, in the same pass.
 */
export function logisticObjective(cols: number): Objective<Batch> {
  return {
    dimension: cols,
    loss(w, batch, grad) {
      const { x, y } = batch;
      if (grad) grad.fill(0);
      let total = 0;
      for (let r = 0; r < x.rows; r++) {
        let z = 0;
        for (let c = 0; c < cols; c++) z += x.data[r * cols + c]! * w[c]!;
        const t = y.data[r]!;
        total += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z;
        if (grad) {
          const e = (1 / (1 + Math.exp(-z)) - t) / x.rows;
          for (let c = 0; c < cols; c++) grad[c]! += e * x.data[r * cols + c]!;
        }
      }
      return total / x.rows;
    },
    describe: () => ({ name: 'logisticRegression', dimension: cols }),
  };
}

/** In-order mini-batches (views into the data). */
export function batches(data: LogisticData, batchSize: number): Loader<Batch> {
  const { x, y, rows, cols } = data;
  return {
    batchesPerEpoch: Math.ceil(rows / batchSize),
    samples: rows,
    batchSize,
    *epoch() {
      for (let start = 0; start < rows; start += batchSize) {
        const n = Math.min(batchSize, rows - start);
        yield {
          x: matrix(x.subarray(start * cols, (start + n) * cols), n, cols),
          y: matrix(y.subarray(start, start + n), n, 1),
        };
      }
    },
  };
}

/** The whole data set as one batch. */
export function fullBatch(data: LogisticData): Batch {
  return { x: matrix(data.x, data.rows, data.cols), y: matrix(data.y, data.rows, 1) };
}
