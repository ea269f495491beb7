// MLP 784-128-10 (ReLU, softmax cross-entropy), batch 128, Adam: samples per second of Downhill's
// fused forward + backward pass (blocked dense kernels over one flat parameter vector) vs
// TensorFlow.js (cpu and wasm backends) on identical data, initial parameters and hyperparameters.
// The first layer's products (float32 inputs) run the WebAssembly SIMD dense kernels where the
// runtime has them (dense-simd.wat), the hidden and output layers the JS kernels. Beside it:
// `compute: 'float32'` (every layer on the WebAssembly SIMD float32 kernel set), as a kernel loop
// and as the user's path (train() with @downhill/data's miniBatchLoader and @downhill/optimizers'
// adam), and PyTorch 1-thread as a peer when /usr/bin/python3 has torch, in interleaved rounds.

import { availableParallelism, loadavg } from 'node:os';
import { compare, machineInfo, report } from '@downhill/bench-harness';
import { type Batch, createRng, matrix, type TrainEvent, train } from '@downhill/core';
import { miniBatchLoader } from '@downhill/data';
import { adam } from '@downhill/optimizers';
import { type Model, mlp, wasmKernelsAvailable } from '../src/index.js';
import { adamInit, adamStep } from './adam-inline.js';
import { canMeasureBytes, loopBytesPerStep, runBytesPerStep } from './bytes-per-step.js';
import { compareCpuTime } from './cpu-time-compare.js';
import { CLASSES, INPUTS, mnistShapedData } from './mnist-shaped-data.js';
import { tf, useBackend } from './tfjs-backends.js';
import { interleavedWithTorch, torchAvailable } from './torch-peer.js';

const HIDDEN = 128;
const BATCH = 128;
const BATCHES = 60;
const ROWS = BATCH * BATCHES;
const { xData, labels, oneHot } = mnistShapedData(ROWS);
const LR = 1e-3;
const STEPS_PER_RUN = 4;
// Steps run from the common start before the final losses are compared (tfjs-cpu is slow: keep it short).
const AGREEMENT_STEPS = 24;

const batches: Batch[] = [];
for (let b = 0; b < BATCHES; b++) {
  batches.push({
    x: matrix(xData.subarray(b * BATCH * INPUTS, (b + 1) * BATCH * INPUTS), BATCH, INPUTS),
    y: matrix(labels.subarray(b * BATCH, (b + 1) * BATCH), BATCH, 1),
  });
}
const all: Batch = { x: matrix(xData, ROWS, INPUTS), y: matrix(labels, ROWS, 1) };
const model = mlp({ layers: [INPUTS, HIDDEN, CLASSES], activation: 'relu', output: 'softmax' });
const modelF32 = mlp({
  layers: [INPUTS, HIDDEN, CLASSES],
  activation: 'relu',
  output: 'softmax',
  compute: 'float32',
});
const init = model.initialize(createRng(1));
const [w1Block, b1Block, w2Block, b2Block] = model.layout;

function downhillTrainer(m: Model = model) {
  const params = init.slice();
  const grad = new Float64Array(model.dimension);
  const state = adamInit(model.dimension);
  let next = 0;
  return {
    params,
    steps(n: number): void {
      for (let s = 0; s < n; s++) {
        m.loss(params, batches[next]!, grad);
        adamStep(params, grad, state, LR);
        next = next + 1 === BATCHES ? 0 : next + 1;
      }
    },
  };
}

/** Downhill stores W as outputs x inputs; TF's matMul(x, W) wants inputs x outputs. */
function transposed(offset: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = init[offset + r * cols + c]!;
  return out;
}

/** `steps` steps of the user's path: train() with the library's loader and Adam, float32 compute. */
function userPath(steps: number): Promise<ArrayLike<number>> {
  return new Promise((resolve, reject) => {
    let last: ArrayLike<number> = [];
    train({
      objective: modelF32,
      optimizer: adam({ learningRate: LR, eps: 1e-7 }),
      params: init,
      loader: miniBatchLoader({ x: all.x, y: all.y }, { batchSize: BATCH, shuffle: false }),
      steps,
      runId: 'bench',
    }).subscribe({
      next: (e: TrainEvent) => {
        if (e.type === 'end') last = e.params;
      },
      complete: () => resolve(last),
      error: reject,
    });
  });
}

function tfTrainer() {
  const xs = batches.map((_, b) =>
    tf.tensor2d(xData.subarray(b * BATCH * INPUTS, (b + 1) * BATCH * INPUTS), [BATCH, INPUTS]),
  );
  const ys = batches.map((_, b) =>
    tf.tensor2d(oneHot.subarray(b * BATCH * CLASSES, (b + 1) * BATCH * CLASSES), [BATCH, CLASSES]),
  );
  const w1 = tf.variable(tf.tensor2d(transposed(w1Block!.offset, HIDDEN, INPUTS), [INPUTS, HIDDEN]));
  const b1 = tf.variable(
    tf.tensor1d(Float32Array.from(init.subarray(b1Block!.offset, b1Block!.offset + HIDDEN))),
  );
  const w2 = tf.variable(tf.tensor2d(transposed(w2Block!.offset, CLASSES, HIDDEN), [HIDDEN, CLASSES]));
  const b2 = tf.variable(
    tf.tensor1d(Float32Array.from(init.subarray(b2Block!.offset, b2Block!.offset + CLASSES))),
  );
  const optimizer = tf.train.adam(LR, 0.9, 0.999, 1e-7);
  let next = 0;
  return {
    steps(n: number): void {
      for (let s = 0; s < n; s++) {
        const x = xs[next]!;
        const y = ys[next]!;
        tf.tidy(() => {
          optimizer.minimize(() => {
            const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
            const logits = tf.add(tf.matMul(hidden, w2), b2);
            return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
          });
        });
        next = next + 1 === BATCHES ? 0 : next + 1;
      }
    },
    params(): Float64Array {
      const out = new Float64Array(model.dimension);
      const put = (v: tf.Variable, offset: number, rows: number, cols: number) => {
        const data = v.dataSync();
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) out[offset + r * cols + c] = data[c * rows + r]!;
      };
      put(w1, w1Block!.offset, HIDDEN, INPUTS);
      out.set(b1.dataSync(), b1Block!.offset);
      put(w2, w2Block!.offset, CLASSES, HIDDEN);
      out.set(b2.dataSync(), b2Block!.offset);
      return out;
    },
    dispose(): void {
      tf.dispose([...xs, ...ys, w1, b1, w2, b2]);
      optimizer.dispose();
    },
  };
}

async function main(): Promise<void> {
  console.log(
    `# MLP ${INPUTS}-${HIDDEN}-${CLASSES} relu/softmax, batch ${BATCH}, Adam lr ${LR}\n${machineInfo()}`,
  );
  console.log(
    `1-min load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores (figures are wall-clock)`,
  );
  console.log(
    `first layer (float32 input): ${wasmKernelsAvailable() ? 'WebAssembly SIMD dense kernels' : 'JS dense kernels (no WebAssembly SIMD)'}`,
  );
  const available: ('cpu' | 'wasm')[] = [];
  const notes: string[] = [];
  for (const name of ['cpu', 'wasm'] as const) {
    try {
      notes.push(await useBackend(name));
      available.push(name);
    } catch (error) {
      notes.push(`${name} UNAVAILABLE: ${(error as Error).message}`);
    }
  }
  console.log(`peers: ${notes.join('; ')}`);

  const torch = torchAvailable();
  console.log(
    torch.available
      ? `peer: PyTorch ${torch.version}, 1 thread (/usr/bin/python3; its BLAS is whatever Debian's libblas.so.3 points to)`
      : `peer: PyTorch SKIPPED: ${torch.reason}`,
  );
  const finals: Record<string, number> = {};
  const dh = downhillTrainer();
  dh.steps(AGREEMENT_STEPS);
  finals.downhill = model.loss(dh.params, all);
  const dh32 = downhillTrainer(modelF32);
  dh32.steps(AGREEMENT_STEPS);
  finals['downhill float32'] = model.loss(dh32.params, all);
  finals['user path float32'] = model.loss(Float64Array.from(await userPath(AGREEMENT_STEPS)), all);
  for (const name of available) {
    await useBackend(name);
    const t = tfTrainer();
    t.steps(AGREEMENT_STEPS);
    finals[`tfjs-${name}`] = model.loss(t.params(), all);
    t.dispose();
  }
  console.log(
    `full-data loss after ${AGREEMENT_STEPS} steps (initial ${model.loss(init, all).toFixed(6)}): ${Object.entries(
      finals,
    )
      .map(
        ([k, v]) =>
          `${k} ${v.toFixed(6)} (rel. diff ${((v - finals.downhill!) / finals.downhill!).toExponential(1)})`,
      )
      .join(', ')}`,
  );

  console.log(
    `  final losses within 1% of each other: ${Object.values(finals).every((v) => Math.abs(v - finals.downhill!) <= 0.01 * finals.downhill!)}`,
  );
  const ours = downhillTrainer();
  const ours32 = downhillTrainer(modelF32);
  const cases: Record<string, { run(): unknown; ops: number }> = {
    'downhill adam': { run: () => ours.steps(STEPS_PER_RUN), ops: STEPS_PER_RUN * BATCH },
    'downhill float32 adam': { run: () => ours32.steps(STEPS_PER_RUN), ops: STEPS_PER_RUN * BATCH },
    'user path float32 (train + loader + adam)': { run: () => userPath(BATCHES), ops: BATCHES * BATCH },
  };
  const peers: ReturnType<typeof tfTrainer>[] = [];
  for (const name of available) {
    await useBackend(name);
    const t = tfTrainer();
    peers.push(t);
    cases[`tfjs-${name} adam`] = {
      run: async () => {
        if (tf.getBackend() !== name) await tf.setBackend(name);
        t.steps(STEPS_PER_RUN);
      },
      ops: STEPS_PER_RUN * BATCH,
    };
  }
  const results = await interleavedWithTorch(
    'mlp',
    () => compare(cases, { rounds: 2, minTimeMs: 300, warmup: 1 }),
    { rounds: 3, seconds: 2, torch: torch.available },
  );
  report('MLP 784-128-10, Adam: samples/s (median of 3 rounds interleaved with PyTorch)', results, {
    baseline: 'downhill adam',
    unit: 'sample',
  });
  const torchRate = results['PyTorch 1 thread']?.unitsPerSecond;
  for (const name of [
    'downhill adam',
    'downhill float32 adam',
    'user path float32 (train + loader + adam)',
  ]) {
    const rate = results[name]!.unitsPerSecond;
    console.log(
      `  ${name}: ${torchRate === undefined ? 'no PyTorch peer' : `${(rate / torchRate).toFixed(2)}x PyTorch 1 thread`}, ${(rate / results['downhill adam']!.unitsPerSecond).toFixed(2)}x the float64 kernel loop`,
    );
  }
  for (const name of available) {
    const ratio = results['downhill adam']!.unitsPerSecond / results[`tfjs-${name} adam`]!.unitsPerSecond;
    console.log(`  downhill / tfjs-${name}: ${ratio.toFixed(2)}x`);
  }
  for (const t of peers) t.dispose();
  // The same ratios by CPU time of this process (steadier than wall clock on a loaded machine).
  const cpu = await compareCpuTime(
    {
      'float64 kernel loop': { run: () => ours.steps(BATCHES), ops: BATCHES * BATCH },
      'float32 kernel loop': { run: () => ours32.steps(BATCHES), ops: BATCHES * BATCH },
      'user path float32': { run: () => userPath(BATCHES), ops: BATCHES * BATCH },
    },
    { rounds: 5 },
  );
  const f64Cpu = cpu['float64 kernel loop']!.unitsPerSecond;
  const f32Cpu = cpu['float32 kernel loop']!.unitsPerSecond;
  console.log(
    `\nby CPU time (median of 5 interleaved rounds of one epoch): float64 kernel loop ${(f64Cpu / 1e3).toFixed(1)}k samples/s, float32 kernel loop ${(f32Cpu / 1e3).toFixed(1)}k (${(f32Cpu / f64Cpu).toFixed(2)}x), user path float32 ${(cpu['user path float32']!.unitsPerSecond / 1e3).toFixed(1)}k (${((cpu['user path float32']!.unitsPerSecond / f32Cpu) * 100).toFixed(0)}% of the float32 kernel loop)`,
  );
  if (!canMeasureBytes) console.log('\nbytes per step: SKIPPED (run node with --expose-gc)');
  else {
    const f64 = downhillTrainer();
    const f32 = downhillTrainer(modelF32);
    console.log('\nbytes allocated per step after warm-up (heap growth from step 200 to 600):');
    console.log(`  float64 kernel loop: ${loopBytesPerStep((n) => f64.steps(n), 200, 600).toFixed(0)}`);
    console.log(`  float32 kernel loop: ${loopBytesPerStep((n) => f32.steps(n), 200, 600).toFixed(0)}`);
    const spec = {
      objective: modelF32,
      optimizer: adam({ learningRate: LR, eps: 1e-7 }),
      params: init,
      loader: miniBatchLoader({ x: all.x, y: all.y }, { batchSize: BATCH, shuffle: false }),
    };
    console.log(`  user path, float32: ${runBytesPerStep(spec, 200, 600).toFixed(0)}`);
  }
}

await main();
