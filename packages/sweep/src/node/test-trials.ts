// Trial functions for the worker-thread tests: a worker imports this module by its URL. Real
// train() runs of a logistic regression on the Breast Cancer Wisconsin data, written out here (a
// standardised split, a seeded shuffling loader, SGD with momentum) so the package needs no
// models/data/optimizers dependency for its tests.
import { readFileSync } from 'node:fs';
import {
  type Batch,
  createRng,
  deriveSeed,
  type Loader,
  matrix,
  type Objective,
  type Optimizer,
  type TrainEvent,
  train,
} from '@downhill/core';
import { Observable } from 'rxjs';
import type { Config } from '../domain.js';
import type { TrialControl } from '../sweep.js';

const FEATURES = 30;

export interface Split {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
}

let cached: { train: Split; validation: Split } | undefined;

/** 569 rows: a seeded 80/20 split, features standardised with the training part's statistics. */
export function breastCancer(): { train: Split; validation: Split } {
  if (cached) return cached;
  const lines = readFileSync(new URL('../../../../../shared/data/breast-cancer.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const order = createRng(1).shuffle(lines.map((_, i) => i));
  const cut = Math.round(order.length * 0.8);
  const rowsOf = (indices: number[]): Split => {
    const x = new Float64Array(indices.length * FEATURES);
    const y = new Float64Array(indices.length);
    indices.forEach((source, r) => {
      const values = lines[source]!.split(',').map(Number);
      for (let j = 0; j < FEATURES; j++) x[r * FEATURES + j] = values[j]!;
      y[r] = values[FEATURES]!;
    });
    return { x, y, rows: indices.length };
  };
  const trainSplit = rowsOf(order.slice(0, cut));
  const validation = rowsOf(order.slice(cut));
  for (let j = 0; j < FEATURES; j++) {
    let mean = 0;
    for (let r = 0; r < trainSplit.rows; r++) mean += trainSplit.x[r * FEATURES + j]!;
    mean /= trainSplit.rows;
    let variance = 0;
    for (let r = 0; r < trainSplit.rows; r++) variance += (trainSplit.x[r * FEATURES + j]! - mean) ** 2;
    const std = Math.sqrt(variance / trainSplit.rows) || 1;
    for (const split of [trainSplit, validation])
      for (let r = 0; r < split.rows; r++)
        split.x[r * FEATURES + j] = (split.x[r * FEATURES + j]! - mean) / std;
  }
  cached = { train: trainSplit, validation };
  return cached;
}

/** Mean binary cross-entropy of a logistic regression (30 weights, then the bias), gradient fused. */
export function logistic(onGradient?: () => void): Objective<Batch> {
  return {
    dimension: FEATURES + 1,
    loss(w, { x, y }, grad) {
      if (grad) {
        onGradient?.();
        grad.fill(0);
      }
      let total = 0;
      for (let r = 0; r < x.rows; r++) {
        let z = w[FEATURES]!;
        for (let j = 0; j < FEATURES; j++) z += w[j]! * x.data[r * FEATURES + j]!;
        const t = y.data[r]!;
        // log(1 + e^z) - t z, computed without overflow.
        total += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z;
        if (grad) {
          const g = (1 / (1 + Math.exp(-z)) - t) / x.rows;
          for (let j = 0; j < FEATURES; j++) grad[j] = grad[j]! + g * x.data[r * FEATURES + j]!;
          grad[FEATURES] = grad[FEATURES]! + g;
        }
      }
      return total / x.rows;
    },
  };
}

/** SGD with heavy-ball momentum; `learningRate` can be set live (overrides). */
export function momentumSgd(learningRate: number, momentum: number): Optimizer<{ velocity: Float64Array }> {
  return {
    name: 'sgd',
    settable: ['learningRate'],
    init: (params) => ({ velocity: new Float64Array(params.length) }),
    update(updates, state, _params, ctx) {
      const lr = ctx.overrides.learningRate ?? learningRate;
      ctx.current.learningRate = lr;
      const v = state.velocity;
      for (let i = 0; i < updates.length; i++) {
        v[i] = momentum * v[i]! + updates[i]!;
        updates[i] = -lr * v[i]!;
      }
    },
    describe: () => ({ name: 'sgd', learningRate, momentum }),
  };
}

/** Batches of `batchSize` rows in an order drawn from seed and epoch only (as core's Loader asks). */
export function shuffled(split: Split, batchSize: number, seed: number): Loader<Batch> {
  const x = new Float64Array(batchSize * FEATURES);
  const y = new Float64Array(batchSize);
  const batches = Math.ceil(split.rows / batchSize);
  return {
    batchesPerEpoch: batches,
    samples: split.rows,
    batchSize,
    *epoch(epoch) {
      const order = createRng(deriveSeed(seed, epoch)).shuffle(
        Array.from({ length: split.rows }, (_, i) => i),
      );
      for (let b = 0; b < batches; b++) {
        const rows = Math.min(batchSize, split.rows - b * batchSize);
        for (let r = 0; r < rows; r++) {
          const source = order[b * batchSize + r]!;
          x.set(split.x.subarray(source * FEATURES, (source + 1) * FEATURES), r * FEATURES);
          y[r] = split.y[source]!;
        }
        yield {
          x: matrix(x.subarray(0, rows * FEATURES), rows, FEATURES),
          y: matrix(y.subarray(0, rows), rows, 1),
        };
      }
    },
  };
}

export function whole(split: Split): Loader<Batch> {
  const batch = { x: matrix(split.x, split.rows, FEATURES), y: matrix(split.y, split.rows, 1) };
  return {
    batchesPerEpoch: 1,
    samples: split.rows,
    batchSize: split.rows,
    *epoch() {
      yield batch;
    },
  };
}

export interface BreastCancerOptions {
  readonly epochs: number;
  /** One Int32 cell per trial index, counting its loss calls with a gradient (shared with the test). */
  readonly calls?: SharedArrayBuffer;
  /** Cell 0 counts every 5 ms while this worker thread lives (training or idle). */
  readonly heartbeat?: SharedArrayBuffer;
}

let beating = false;

/** A trial: SGD with `learningRate` and `momentum` from the config, validation loss every epoch. */
export function breastCancerTrial(
  config: Config,
  control: TrialControl,
  options: unknown,
): Observable<TrainEvent> {
  const { epochs, calls, heartbeat } = options as BreastCancerOptions;
  if (heartbeat !== undefined && !beating) {
    beating = true;
    const beats = new Int32Array(heartbeat);
    setInterval(() => Atomics.add(beats, 0, 1), 5).unref();
  }
  const data = breastCancer();
  const counter = calls === undefined ? undefined : new Int32Array(calls);
  const model = logistic(counter === undefined ? undefined : () => Atomics.add(counter, control.index, 1));
  return train({
    objective: model,
    optimizer: momentumSgd(config.learningRate as number, (config.momentum as number | undefined) ?? 0),
    params: (rng) => Array.from({ length: FEATURES + 1 }, () => rng.normal(0, 0.01)),
    loader: shuffled(data.train, 32, control.seed),
    validation: whole(data.validation),
    epochs,
    seed: control.seed,
    runId: control.trialId,
  });
}

/** Trial 1 throws before it starts; the others train as breastCancerTrial. */
export function failsOnTrialOne(
  config: Config,
  control: TrialControl,
  options: unknown,
): Observable<TrainEvent> {
  if (control.index === 1) throw new Error('trial 1 cannot start');
  return breastCancerTrial(config, control, options);
}

/** Trial 1 kills its worker thread mid-run; the others train as breastCancerTrial. */
export function exitsOnTrialOne(
  config: Config,
  control: TrialControl,
  options: unknown,
): Observable<TrainEvent> {
  if (control.index !== 1) return breastCancerTrial(config, control, options);
  return new Observable<TrainEvent>(() => {
    setTimeout(() => process.exit(3), 5);
  });
}
