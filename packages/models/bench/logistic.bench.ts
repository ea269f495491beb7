// Logistic regression, 200,000 x 64 float32, batch 256, SGD and Adam: samples per second of
// Downhill's fused one-pass step vs TensorFlow.js (cpu and wasm backends) on identical data,
// initial parameters and hyperparameters, plus the read bandwidth of the Downhill step against a
// plain 4-accumulator summation over the same array, measured in the same run.
// The data set lives in kernel memory (allocateKernelFloat32Array), so the WebAssembly SIMD kernel
// reads each batch in place; two more Downhill cases run beside it: the same data in an ordinary
// Float32Array (copied into kernel memory batch by batch) and the JavaScript kernel (the fallback).

import { availableParallelism, loadavg } from 'node:os';
import { compare, machineInfo, report } from '@downhill/bench-harness';
import { type Batch, createRng, matrix } from '@downhill/core';
import {
  allocateKernelFloat32Array,
  inKernelMemory,
  logisticRegression,
  wasmKernelsAvailable,
} from '../src/index.js';
import { logisticRowsF32 } from '../src/kernels/dense-f32.js';
import { adamInit, adamStep, sgdStep } from './adam-inline.js';
import { tf, useBackend } from './tfjs-backends.js';

const ROWS = 200_000;
const COLS = 64;
const BATCH = 256;
const STEPS_PER_RUN = 50;
const HYPER = { sgd: { lr: 0.1 }, adam: { lr: 0.01 } } as const;

// Data: x ~ U[-1, 1], labels from a fixed random teacher with 10% label noise.
const rng = createRng(2018);
const xData = allocateKernelFloat32Array(ROWS * COLS);
for (let i = 0; i < xData.length; i++) xData[i] = rng.uniform(-1, 1);
const teacher = Float64Array.from({ length: COLS }, () => rng.normal(0, 0.5));
const yData = new Float32Array(ROWS);
for (let r = 0; r < ROWS; r++) {
  let z = 0.1;
  for (let k = 0; k < COLS; k++) z += teacher[k]! * xData[r * COLS + k]!;
  const label = z > 0 ? 1 : 0;
  yData[r] = rng.next() < 0.1 ? 1 - label : label;
}
// The same values in an ordinary Float32Array: the copy path, and the JS kernel's input.
const xOrdinary = Float32Array.from(xData);
const batchCount = Math.floor(ROWS / BATCH);
function batchesOf(data: Float32Array): Batch[] {
  return Array.from({ length: batchCount }, (_, b) => ({
    x: matrix(data.subarray(b * BATCH * COLS, (b + 1) * BATCH * COLS), BATCH, COLS),
    y: matrix(yData.subarray(b * BATCH, (b + 1) * BATCH), BATCH, 1),
  }));
}
const batches = batchesOf(xData);
const ordinaryBatches = batchesOf(xOrdinary);
const all: Batch = { x: matrix(xData, ROWS, COLS), y: matrix(yData, ROWS, 1) };
const model = logisticRegression({ inputs: COLS });
const init = model.initialize(createRng(1));

type Method = 'sgd' | 'adam';
type Kernel = 'wasm' | 'wasm-copy' | 'js';

/** logisticRegression's mean loss and gradient, forced through the JavaScript kernel (the fallback). */
function jsKernelLoss(params: Float64Array, batch: Batch, grad: Float64Array): number {
  grad.fill(0);
  const rows = batch.x.rows;
  const sum = logisticRowsF32(batch.x.data as Float32Array, rows, COLS, batch.y.data, params, grad, 1 / rows);
  return sum / rows;
}

/** A Downhill trainer: `steps(n)` runs n steps, cycling through the batches in order. */
function downhillTrainer(method: Method, kernel: Kernel = 'wasm') {
  const params = init.slice();
  const grad = new Float64Array(model.dimension);
  const adam = adamInit(model.dimension);
  const data = kernel === 'wasm' ? batches : ordinaryBatches;
  let next = 0;
  return {
    params,
    steps(n: number): void {
      for (let s = 0; s < n; s++) {
        if (kernel === 'js') jsKernelLoss(params, data[next]!, grad);
        else model.loss(params, data[next]!, grad);
        if (method === 'sgd') sgdStep(params, grad, HYPER.sgd.lr);
        else adamStep(params, grad, adam, HYPER.adam.lr);
        next = next + 1 === batchCount ? 0 : next + 1;
      }
    },
  };
}

/** The same model in TF.js: variables w (64 x 1) and b, sigmoid cross-entropy, tf.train.sgd / adam. */
function tfTrainer(method: Method) {
  const xs = batches.map((_, b) =>
    tf.tensor2d(xData.subarray(b * BATCH * COLS, (b + 1) * BATCH * COLS), [BATCH, COLS]),
  );
  const ys = batches.map((_, b) => tf.tensor2d(yData.subarray(b * BATCH, (b + 1) * BATCH), [BATCH, 1]));
  const w = tf.variable(tf.tensor2d(Float32Array.from(init.subarray(0, COLS)), [COLS, 1]));
  const bias = tf.variable(tf.scalar(init[COLS]!));
  const optimizer =
    method === 'sgd' ? tf.train.sgd(HYPER.sgd.lr) : tf.train.adam(HYPER.adam.lr, 0.9, 0.999, 1e-7);
  let next = 0;
  return {
    steps(n: number): void {
      for (let s = 0; s < n; s++) {
        const x = xs[next]!;
        const y = ys[next]!;
        tf.tidy(() => {
          optimizer.minimize(
            () => tf.losses.sigmoidCrossEntropy(y, tf.add(tf.matMul(x, w), bias)) as tf.Scalar,
          );
        });
        next = next + 1 === batchCount ? 0 : next + 1;
      }
    },
    /** Final parameters as a Downhill vector, to evaluate both sides with the same loss. */
    params(): Float64Array {
      const out = new Float64Array(COLS + 1);
      out.set(w.dataSync());
      out[COLS] = bias.dataSync()[0]!;
      return out;
    },
    dispose(): void {
      tf.dispose([...xs, ...ys, w, bias]);
      optimizer.dispose();
    },
  };
}

/** Plain read of the same array with 4 independent accumulators: the bandwidth yardstick. */
function plainSum(data: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = data.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += data[i]!;
    s1 += data[i + 1]!;
    s2 += data[i + 2]!;
    s3 += data[i + 3]!;
  }
  for (; i < n; i++) s0 += data[i]!;
  return s0 + s1 + (s2 + s3);
}

/** Median CPU seconds of `a` and `b` over interleaved rounds (each call covers the whole array once). */
function cpuTimeRatio(a: () => void, b: () => void, rounds: number): { a: number; b: number } {
  const ta: number[] = [];
  const tb: number[] = [];
  const time = (f: () => void): number => {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
  a();
  b();
  for (let r = 0; r < rounds; r++) {
    ta.push(time(a));
    tb.push(time(b));
  }
  const median = (xs: number[]) => xs.sort((u, v) => u - v)[xs.length >> 1]!;
  return { a: median(ta), b: median(tb) };
}

let sink = 0;
const backends: string[] = [];
const unavailable: string[] = [];

async function main(): Promise<void> {
  console.log(`# logistic regression ${ROWS} x ${COLS} float32, batch ${BATCH}\n${machineInfo()}`);
  console.log(
    `WebAssembly SIMD kernel available: ${wasmKernelsAvailable()}; data set in kernel memory (allocateKernelFloat32Array, read in place): ${inKernelMemory(xData)}`,
  );
  console.log(
    `1-min load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores (figures are wall-clock)`,
  );
  const available: ('cpu' | 'wasm')[] = [];
  for (const name of ['cpu', 'wasm'] as const) {
    try {
      backends.push(await useBackend(name));
      available.push(name);
    } catch (error) {
      unavailable.push(`${name}: ${(error as Error).message}`);
    }
  }
  console.log(
    `peers: ${backends.join('; ')}${unavailable.length ? `; UNAVAILABLE ${unavailable.join('; ')}` : ''}`,
  );

  for (const method of ['sgd', 'adam'] as const) {
    // 1. Agreement: one epoch from the same start, same batches in the same order.
    const finals: Record<string, number> = {};
    const dh = downhillTrainer(method);
    dh.steps(batchCount);
    finals.downhill = model.loss(dh.params, all);
    const dhJs = downhillTrainer(method, 'js');
    dhJs.steps(batchCount);
    finals['downhill-js-kernel'] = model.loss(dhJs.params, all);
    for (const name of available) {
      await useBackend(name);
      const t = tfTrainer(method);
      t.steps(batchCount);
      finals[`tfjs-${name}`] = model.loss(t.params(), all);
      t.dispose();
    }
    const agreement = Object.entries(finals)
      .map(
        ([k, v]) =>
          `${k} ${v.toFixed(6)} (rel. diff ${((v - finals.downhill!) / finals.downhill!).toExponential(1)})`,
      )
      .join(', ');
    console.log(`\n${method} (lr ${HYPER[method].lr}): full-data loss after 1 epoch: ${agreement}`);

    console.log(
      `  final losses within 1% of each other: ${Object.values(finals).every((v) => Math.abs(v - finals.downhill!) <= 0.01 * finals.downhill!)}`,
    );

    // 2. Throughput, interleaved rounds. The wasm and cpu cases switch the global backend first.
    const cases: Record<string, { run(): unknown; ops: number }> = {};
    const labels: Record<Kernel, string> = {
      wasm: `downhill ${method}`,
      'wasm-copy': `downhill ${method} (ordinary array, copied)`,
      js: `downhill ${method} (JS kernel)`,
    };
    for (const kernel of ['wasm', 'wasm-copy', 'js'] as const) {
      const trainer = downhillTrainer(method, kernel);
      cases[labels[kernel]] = { run: () => trainer.steps(STEPS_PER_RUN), ops: STEPS_PER_RUN * BATCH };
    }
    const tfTrainers: ReturnType<typeof tfTrainer>[] = [];
    for (const name of available) {
      await useBackend(name);
      const t = tfTrainer(method);
      tfTrainers.push(t);
      cases[`tfjs-${name} ${method}`] = {
        run: async () => {
          if (tf.getBackend() !== name) await tf.setBackend(name);
          t.steps(STEPS_PER_RUN / 5);
        },
        ops: (STEPS_PER_RUN / 5) * BATCH,
      };
    }
    if (method === 'sgd') {
      cases['plain sum (same array)'] = { run: () => (sink += plainSum(xData)), ops: ROWS };
    }
    const results = await compare(cases, { rounds: 5, minTimeMs: 300, warmup: 1 });
    report(`logistic regression, ${method}: samples/s`, results, {
      baseline: `downhill ${method}`,
      unit: 'sample',
    });
    const ours = results[`downhill ${method}`]!.unitsPerSecond;
    for (const kernel of ['wasm', 'wasm-copy', 'js'] as const) {
      const rate = results[labels[kernel]]!.unitsPerSecond;
      const ratios = available.map(
        (name) => `${(rate / results[`tfjs-${name} ${method}`]!.unitsPerSecond).toFixed(1)}x tfjs-${name}`,
      );
      console.log(`  ${labels[kernel]}: ${ratios.join(', ')}`);
    }
    if (method === 'sgd') {
      // The machine is shared: wall-clock rates swing with other processes. CPU time of this
      // process is steadier, so the bandwidth ratio is also measured that way, interleaved.
      const bytes = ROWS * COLS * 4;
      for (const kernel of ['wasm', 'wasm-copy', 'js'] as const) {
        const epochTrainer = downhillTrainer('sgd', kernel);
        const cpu = cpuTimeRatio(
          () => epochTrainer.steps(batchCount),
          () => (sink += plainSum(xData)),
          kernel === 'wasm' ? 9 : 5,
        );
        console.log(
          `  read bandwidth by CPU time, ${labels[kernel]}: ${(bytes / cpu.a / 1e9).toFixed(2)} GB/s, plain sum ${(bytes / cpu.b / 1e9).toFixed(2)} GB/s: ${((cpu.b / cpu.a) * 100).toFixed(0)}% of the plain sum`,
        );
      }
      const bytesPerSample = COLS * 4;
      const sumRate = results['plain sum (same array)']!.unitsPerSecond * bytesPerSample;
      const ourRate = ours * bytesPerSample;
      console.log(
        `  read bandwidth by wall clock: downhill step ${(ourRate / 1e9).toFixed(2)} GB/s, plain sum ${(sumRate / 1e9).toFixed(2)} GB/s: ${((ourRate / sumRate) * 100).toFixed(0)}% of the plain sum`,
      );
    }
    for (const t of tfTrainers) t.dispose();
  }
  if (sink === 42) console.log('');
}

await main();
