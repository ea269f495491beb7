// The user's path against the kernel loop, in the same run: logistic regression 200,000 x 64
// float32, batch 256, Adam (lr 0.01, eps 1e-7). The kernel loop is what logistic.bench.ts times
// (model.loss on batches that are views of a data set in kernel memory, then an inline Adam
// step); the user path is `train()` with @downhill/data's miniBatchLoader and
// @downhill/optimizers' adam, in its default sliced mode, unshuffled (contiguous batches: views)
// and shuffled (rows gathered into a reused buffer in kernel memory). Also: bytes allocated per
// step on each path after warm-up (heap growth between two steps of one run, with no garbage
// collection in between), and PyTorch 1-thread as a peer when /usr/bin/python3 has it.
// Run: pnpm --filter @downhill/models bench (or node --expose-gc --conditions=development --import tsx bench/user-path.bench.ts)

import { availableParallelism, loadavg } from 'node:os';
import { compare, machineInfo, report } from '@downhill/bench-harness';
import { type Batch, createRng, matrix, type TrainEvent, type TrainSpec, train } from '@downhill/core';
import { miniBatchLoader } from '@downhill/data';
import { adam } from '@downhill/optimizers';
import {
  allocateKernelFloat32Array,
  inKernelMemory,
  logisticRegression,
  wasmKernelsAvailable,
} from '../src/index.js';
import { adamInit, adamStep } from './adam-inline.js';
import { canMeasureBytes, loopBytesPerStep, runBytesPerStep } from './bytes-per-step.js';
import { compareCpuTime } from './cpu-time-compare.js';
import { interleavedWithTorch, torchAvailable } from './torch-peer.js';

const ROWS = 200_000;
const COLS = 64;
const BATCH = 256;
const LR = 0.01;
const EPS = 1e-7;
const STEPS_PER_RUN = 781; // one epoch of batches (200,000 / 256, the last short batch dropped)

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
const dataset = { x: matrix(xData, ROWS, COLS), y: matrix(yData, ROWS, 1) };
const batchCount = Math.floor(ROWS / BATCH); // 781
const batches: Batch[] = Array.from({ length: batchCount }, (_, b) => ({
  x: matrix(xData.subarray(b * BATCH * COLS, (b + 1) * BATCH * COLS), BATCH, COLS),
  y: matrix(yData.subarray(b * BATCH, (b + 1) * BATCH), BATCH, 1),
}));
const model = logisticRegression({ inputs: COLS });
const init = model.initialize(createRng(1));

/** The kernel loop: `steps(n)` runs n steps, cycling through the contiguous batches. */
function kernelLoop() {
  const params = init.slice();
  const grad = new Float64Array(model.dimension);
  const state = adamInit(model.dimension);
  let next = 0;
  return {
    params,
    steps(n: number): void {
      for (let s = 0; s < n; s++) {
        model.loss(params, batches[next]!, grad);
        adamStep(params, grad, state, LR, 0.9, 0.999, EPS);
        next = next + 1 === batchCount ? 0 : next + 1;
      }
    },
  };
}

function userSpec(shuffle: boolean, steps: number, mode: 'sliced' | 'sync'): TrainSpec {
  return {
    objective: model,
    optimizer: adam({ learningRate: LR, eps: EPS }),
    params: init,
    loader: miniBatchLoader(dataset, { batchSize: BATCH, shuffle, dropLast: true, seed: 7 }),
    steps,
    mode,
    runId: 'bench',
  };
}

/** One run of `steps` steps through train(); resolves with the final parameters. */
function userPath(shuffle: boolean, steps: number): Promise<ArrayLike<number>> {
  return new Promise((resolve, reject) => {
    let last: ArrayLike<number> = [];
    train(userSpec(shuffle, steps, 'sliced')).subscribe({
      next: (e: TrainEvent) => {
        if (e.type === 'end') last = e.params;
      },
      complete: () => resolve(last),
      error: reject,
    });
  });
}

async function main(): Promise<void> {
  console.log(
    `# user path vs kernel loop: logistic regression ${ROWS} x ${COLS} float32, batch ${BATCH}, Adam\n${machineInfo()}`,
  );
  console.log(
    `WebAssembly SIMD kernels: ${wasmKernelsAvailable()}; data set in kernel memory: ${inKernelMemory(xData)}; 1-min load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
  );
  const torch = torchAvailable();
  console.log(
    torch.available
      ? `peer: PyTorch ${torch.version}, 1 thread (/usr/bin/python3)`
      : `peer: PyTorch SKIPPED: ${torch.reason}`,
  );

  // Agreement: the same steps from the same start on the same contiguous batches give the same loss.
  const epochSteps = 200;
  const k = kernelLoop();
  k.steps(epochSteps);
  const userParams = Float64Array.from(await userPath(false, epochSteps));
  const kLoss = model.loss(k.params, dataset);
  const uLoss = model.loss(userParams, dataset);
  console.log(
    `full-data loss after ${epochSteps} steps: kernel loop ${kLoss.toFixed(6)}, user path ${uLoss.toFixed(6)} (rel. diff ${((uLoss - kLoss) / kLoss).toExponential(1)})`,
  );

  const loop = kernelLoop();
  const cases = {
    'kernel loop': { run: () => loop.steps(STEPS_PER_RUN), ops: STEPS_PER_RUN * BATCH },
    'user path (train + loader, contiguous)': {
      run: () => userPath(false, STEPS_PER_RUN),
      ops: STEPS_PER_RUN * BATCH,
    },
    'user path (train + loader, shuffled)': {
      run: () => userPath(true, STEPS_PER_RUN),
      ops: STEPS_PER_RUN * BATCH,
    },
  };
  // Rounds of the harness interleaved with PyTorch runs, so that both meet the same load.
  const results = await interleavedWithTorch(
    'logistic',
    () => compare(cases, { rounds: 3, minTimeMs: 300, warmup: 1 }),
    { rounds: 3, seconds: 1.5, torch: torch.available },
  );
  report('logistic regression, Adam: samples/s (median of 3 rounds interleaved with PyTorch)', results, {
    baseline: 'kernel loop',
    unit: 'sample',
  });
  const base = results['kernel loop']!.unitsPerSecond;
  for (const name of Object.keys(cases).slice(1)) {
    const rate = results[name]!.unitsPerSecond;
    const vsTorch = results['PyTorch 1 thread']
      ? `, ${(rate / results['PyTorch 1 thread']!.unitsPerSecond).toFixed(2)}x PyTorch`
      : '';
    console.log(`  ${name}: ${((rate / base) * 100).toFixed(0)}% of the kernel loop${vsTorch}`);
  }

  // The same ratios by CPU time of this process (steadier than wall clock on a loaded machine).
  const cpu = await compareCpuTime(
    {
      'kernel loop': { run: () => loop.steps(STEPS_PER_RUN * 2), ops: STEPS_PER_RUN * 2 * BATCH },
      contiguous: { run: () => userPath(false, STEPS_PER_RUN * 2), ops: STEPS_PER_RUN * 2 * BATCH },
      shuffled: { run: () => userPath(true, STEPS_PER_RUN * 2), ops: STEPS_PER_RUN * 2 * BATCH },
    },
    { rounds: 5 },
  );
  const cpuBase = cpu['kernel loop']!.unitsPerSecond;
  console.log(
    `\nby CPU time (median of 5 interleaved rounds of 2 epochs): kernel loop ${(cpuBase / 1e6).toFixed(2)}M samples/s; user path contiguous ${((cpu.contiguous!.unitsPerSecond / cpuBase) * 100).toFixed(0)}%, shuffled ${((cpu.shuffled!.unitsPerSecond / cpuBase) * 100).toFixed(0)}% of it`,
  );

  if (!canMeasureBytes) console.log('\nbytes per step: SKIPPED (run node with --expose-gc)');
  else {
    const fresh = kernelLoop();
    console.log('\nbytes allocated per step after warm-up (heap growth from step 1000 to 3000):');
    console.log(`  kernel loop: ${loopBytesPerStep((n) => fresh.steps(n)).toFixed(0)}`);
    console.log(`  user path, contiguous: ${runBytesPerStep(userSpec(false, 0, 'sync')).toFixed(0)}`);
    console.log(`  user path, shuffled: ${runBytesPerStep(userSpec(true, 0, 'sync')).toFixed(0)}`);
  }
}

await main();
