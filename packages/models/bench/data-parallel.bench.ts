// MLP 784-128-10 (ReLU, softmax cross-entropy), float32 compute, batch 128, Adam, on the user's
// path (train() with @downhill/data's shuffled miniBatchLoader and @downhill/optimizers' adam):
// one thread against `dataParallel` (@downhill/models/node) on 2 threads (and 4 where the machine
// has the cores), in interleaved rounds with PyTorch 1 thread as the peer when /usr/bin/python3
// has torch. Prints samples/s, the scaling from 1 thread and the ratios to PyTorch.
// Run: pnpm --filter @downhill/models bench (or node --conditions=development --import tsx bench/data-parallel.bench.ts)

import { availableParallelism, loadavg } from 'node:os';
import { compare, machineInfo, report } from '@downhill/bench-harness';
import { createRng, matrix, train } from '@downhill/core';
import { miniBatchLoader } from '@downhill/data';
import { adam } from '@downhill/optimizers';
import { mlp } from '../src/index.js';
import { dataParallel } from '../src/node/index.js';
import { INPUTS, mnistShapedData } from './mnist-shaped-data.js';
import { interleavedWithTorch, torchAvailable } from './torch-peer.js';

const BATCH = 128;
const BATCHES = 60;
const ROWS = BATCH * BATCHES;
const LAYERS = [INPUTS, 128, 10];
const { xData, labels } = mnistShapedData(ROWS);
const dataset = { x: matrix(xData, ROWS, INPUTS), y: matrix(labels, ROWS, 1) };

type Mlp = ReturnType<typeof mlp>;

async function main(): Promise<void> {
  const cores = availableParallelism();
  console.log(machineInfo());
  console.log(
    `cores: ${cores}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const torch = torchAvailable();
  console.log(
    torch.available
      ? `peer: PyTorch ${torch.version}, 1 thread (/usr/bin/python3; its BLAS is whatever Debian's libblas.so.3 points to)`
      : `peer: PyTorch SKIPPED: ${torch.reason}`,
  );
  const counts = [1, 2, ...(cores >= 4 ? [4] : [])];
  const objectives = new Map<number, Mlp>();
  for (const threads of counts) {
    objectives.set(
      threads,
      threads === 1
        ? mlp({ layers: LAYERS, compute: 'float32' })
        : await dataParallel<Mlp>({
            objective: {
              module: '@downhill/models',
              export: 'mlp',
              options: { layers: LAYERS, compute: 'float32' },
            },
            threads,
          }),
    );
  }
  // Each case trains one epoch with train(), starting from the parameters the last one ended with.
  const state = new Map<number, { params: ArrayLike<number>; epoch: number }>();
  const epoch = (threads: number): Promise<void> => {
    const objective = objectives.get(threads)!;
    const current = state.get(threads) ?? { params: objective.initialize(createRng(1)), epoch: 0 };
    return new Promise((resolve, reject) =>
      train({
        objective,
        optimizer: adam({ learningRate: 1e-3 }),
        params: current.params,
        loader: miniBatchLoader(dataset, { batchSize: BATCH, seed: current.epoch }),
        epochs: 1,
        mode: 'sync',
      }).subscribe({
        next: (event) => {
          if (event.type === 'end') state.set(threads, { params: event.params, epoch: current.epoch + 1 });
        },
        error: reject,
        complete: resolve,
      }),
    );
  };
  const cases: Record<string, { run(): Promise<void>; ops: number }> = {};
  for (const threads of counts)
    cases[`${threads} thread${threads > 1 ? 's' : ''}`] = { run: () => epoch(threads), ops: ROWS };
  const results = await interleavedWithTorch(
    'mlp',
    () => compare(cases, { rounds: 2, minTimeMs: 500, warmup: 1 }),
    {
      rounds: 3,
      seconds: 2,
      torch: torch.available,
    },
  );
  report(
    'MLP 784-128-10 float32, Adam, user path (train + shuffled loader): samples/s, median of 3 rounds',
    results,
    {
      unit: 'samples',
    },
  );
  const one = results['1 thread']!.unitsPerSecond;
  const torchRate = results['PyTorch 1 thread']?.unitsPerSecond;
  for (const threads of counts.slice(1)) {
    const rate = results[`${threads} threads`]!.unitsPerSecond;
    console.log(
      `  ${threads} threads: ${(rate / one).toFixed(2)}x 1 thread${torchRate === undefined ? '' : `, ${(rate / torchRate).toFixed(2)}x PyTorch 1 thread`}`,
    );
  }
  if (torchRate !== undefined) console.log(`  1 thread: ${(one / torchRate).toFixed(2)}x PyTorch 1 thread`);
  for (const objective of objectives.values()) await (objective as { close?: () => Promise<void> }).close?.();
}

await main();
