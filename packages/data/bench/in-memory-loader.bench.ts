// In-memory mini-batch loader over a 1e6 x 64 float32 matrix: bytes delivered per second (one
// full epoch per run), next to plain copies of the same bytes measured in the same run.
// Run: pnpm --filter @downhill/data bench (or node --conditions=development --import tsx bench/in-memory-loader.bench.ts)
// BENCH_ROWS=100000 for a quick run.
import { compare, report } from '@downhill/bench-harness';
import { createRng } from '@downhill/core';
import { fromTypedArrays, miniBatchLoader } from '../src/index.js';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const cols = 64;
const batchSize = Number(process.env.BENCH_BATCH ?? 256);
const rng = createRng(1);
const x = new Float32Array(rows * cols);
for (let i = 0; i < x.length; i++) x[i] = rng.next();
const y = new Float32Array(rows);
for (let i = 0; i < rows; i++) y[i] = rng.next();
const data = fromTypedArrays({ x, y, features: cols });
const bytes = x.byteLength + y.byteLength;

const shuffled = miniBatchLoader(data, { batchSize, seed: 1 });
const sequential = miniBatchLoader(data, { batchSize, shuffle: false });
const xCopy = new Float32Array(x.length);
const yCopy = new Float32Array(y.length);

let epoch = 0;
let sink = 0;
/** One full epoch; touches one value per batch so the work cannot be skipped. */
function drain(loader: typeof shuffled): void {
  for (const batch of loader.epoch(epoch++)) sink += batch.x.data[0]!;
}

/** The same bytes copied with an element loop, as the loader's gather does (in sequence). */
function loopCopy(src: Float32Array, dst: Float32Array): void {
  for (let i = 0; i < src.length; i++) dst[i] = src[i]!;
}

const results = await compare(
  {
    'TypedArray.set (memcpy)': {
      run: () => {
        xCopy.set(x);
        yCopy.set(y);
      },
      ops: bytes,
    },
    'plain loop copy': {
      run: () => {
        loopCopy(x, xCopy);
        loopCopy(y, yCopy);
      },
      ops: bytes,
    },
    [`miniBatchLoader sequential, batch ${batchSize}`]: { run: () => drain(sequential), ops: bytes },
    [`miniBatchLoader shuffled, batch ${batchSize}`]: { run: () => drain(shuffled), ops: bytes },
  },
  { rounds: 5, minTimeMs: 300, warmup: 1 },
);
report(
  `in-memory mini-batch loader, ${rows} x ${cols} float32 (${(bytes / 1e6).toFixed(0)} MB per epoch)`,
  results,
  {
    baseline: 'TypedArray.set (memcpy)',
    unit: 'B',
  },
);
for (const [name, r] of Object.entries(results))
  console.log(`  ${name.padEnd(36)} ${(r.unitsPerSecond / 1e9).toFixed(2)} GB/s`);
if (sink === -1) console.log(sink);
