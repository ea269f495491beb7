// Streams a large CSV (1 GB by default) through a streamed loader and reports its peak memory:
// the target is a peak RSS under 200 MB, whatever the file size. The peer measured in the same run
// is a plain read of the same file's bytes (no parsing), in a process of its own, as is the loader.
// The file is generated into os.tmpdir() on the first run and reused afterwards.
// Run: pnpm --filter @downhill/data bench; BENCH_CSV_MB=64 for a quick run.
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from '@downhill/bench-harness';
import { createRng } from '@downhill/core';
import { csvSource, streamedLoader } from '../src/index.js';

const FEATURES = 16;
const megabytes = Number(process.env.BENCH_CSV_MB ?? 1024);
const path = join(tmpdir(), `downhill-data-bench-${megabytes}mb.csv`);
const target = megabytes * 2 ** 20;

interface Measurement {
  readonly what: string;
  readonly seconds: number;
  readonly bytes: number;
  readonly rows: number;
  readonly batches: number;
  readonly peakRssMB: number;
  readonly startRssMB: number;
  readonly peakHeapMB: number;
}

/** Writes the file from a pool of random rows (formatting every value would dominate the run). */
async function generate(): Promise<void> {
  const rng = createRng(42);
  const pool: string[] = [];
  for (let i = 0; i < 8192; i++) {
    const xs = Array.from({ length: FEATURES }, () => rng.normal(0, 10));
    const y = xs.reduce((s, v, k) => s + (k + 1) * v, 0) + rng.normal();
    pool.push(`${[...xs, y].map((v) => v.toFixed(6)).join(',')}\n`);
  }
  const out = createWriteStream(path);
  let written = 0;
  while (written < target) {
    let chunk = '';
    while (chunk.length < 1 << 20) chunk += pool[rng.int(pool.length)];
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise((r) => out.end(r));
}

function memory(): { rss: number; heap: number } {
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
}

/** Runs in a child process: one pass over the file, sampling memory as it goes. */
async function measure(what: string): Promise<Measurement> {
  const startRssMB = memory().rss;
  let peakHeapMB = 0;
  let rows = 0;
  let batches = 0;
  const sample = setInterval(() => {
    peakHeapMB = Math.max(peakHeapMB, memory().heap);
  }, 50);
  const t0 = performance.now();
  if (what === 'read') {
    for await (const _chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) batches++;
  } else {
    const loader = streamedLoader(csvSource({ input: path }), {
      batchSize: 256,
      shuffleBuffer: 10_000,
      seed: 1,
    });
    let sink = 0;
    for await (const batch of loader.epoch(0)) {
      rows += batch.x.rows;
      batches++;
      sink += batch.y.data[0]!;
    }
    if (Number.isNaN(sink)) console.log(sink);
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sample);
  // maxRSS is the kernel's high-water mark for the whole process, in kilobytes.
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  return { what, seconds, bytes: statSync(path).size, rows, batches, peakRssMB, startRssMB, peakHeapMB };
}

function inChild(what: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--measure', what], { execArgv: process.execArgv });
    child.once('message', (m) => resolve(m as Measurement));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`measuring ${what} exited with ${code}`));
    });
  });
}

if (process.argv[2] === '--measure') {
  const result = await measure(process.argv[3]!);
  process.send!(result);
  process.disconnect();
} else {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // not generated yet
  }
  if (size < target) {
    const t = performance.now();
    console.log(`generating ${path} (${megabytes} MB) ...`);
    await generate();
    console.log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const read = await inChild('read');
  const loader = await inChild('loader');
  const gb = loader.bytes / 1e9;
  console.log(
    `\n## streamed CSV loader, ${(loader.bytes / 2 ** 20).toFixed(0)} MB file, ${FEATURES} features + 1 target`,
  );
  console.log(machineInfo());
  console.log(`  batch 256, shuffle buffer 10,000 rows, ${loader.rows} rows in ${loader.batches} batches`);
  for (const m of [read, loader]) {
    console.log(
      `  ${(m.what === 'read' ? 'plain read of the bytes' : 'streamedLoader(csvSource)').padEnd(28)} ${m.seconds.toFixed(1).padStart(6)} s  ${(m.bytes / m.seconds / 1e6).toFixed(1).padStart(7)} MB/s  peak RSS ${m.peakRssMB.toFixed(0)} MB (at start ${m.startRssMB.toFixed(0)} MB), peak heap ${m.peakHeapMB.toFixed(0)} MB`,
    );
  }
  console.log(
    `  loader time x${(loader.seconds / read.seconds).toFixed(1)} of the plain read; ${(gb / loader.seconds).toFixed(3)} GB/s`,
  );
  const verdict = loader.peakRssMB < 200 ? 'meets' : 'MISSES';
  console.log(
    `  peak RSS ${loader.peakRssMB.toFixed(0)} MB for a ${(loader.bytes / 2 ** 20).toFixed(0)} MB file: ${verdict} the 200 MB target`,
  );
}
