import { readFileSync } from 'node:fs';
import { type Batch, matrix, type TrainEvent, train } from '@downhill/core';
import { miniBatchLoader } from '@downhill/data';
import { adam } from '@downhill/optimizers';
import { afterEach, describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import { type DataParallelObjective, dataParallel } from './data-parallel.js';
import { shardRows } from './shared-batch.js';

/** The digits (1,797 8x8 images, 64 features scaled to [0, 1], classes 0-9). */
function digits(dtype: 'float32' | 'float64'): Batch {
  const lines = readFileSync(new URL('../../../../../shared/data/digits.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const Data = dtype === 'float32' ? Float32Array : Float64Array;
  const x = new Data(lines.length * 64);
  const y = new Data(lines.length);
  lines.forEach((line, r) => {
    const values = line.split(',').map(Number);
    for (let j = 0; j < 64; j++) x[r * 64 + j] = values[j]! / 16;
    y[r] = values[64]!;
  });
  return { x: matrix(x, lines.length, 64), y: matrix(y, lines.length, 1) };
}

const open: DataParallelObjective<ReturnType<typeof mlp>>[] = [];
afterEach(async () => {
  for (const objective of open.splice(0)) await objective.close();
});

async function parallelMlp(threads: number, compute: 'float32' | 'float64' = 'float64', chunks?: number) {
  const objective = await dataParallel<ReturnType<typeof mlp>>({
    objective: { module: '@downhill/models', export: 'mlp', options: { layers: [64, 32, 10], compute } },
    threads,
    ...(chunks === undefined ? {} : { chunks }),
  });
  open.push(objective);
  return objective;
}

function rows(batch: Batch, from: number, to: number): Batch {
  const slice = (m: Batch['x']) => matrix(m.data.subarray(from * m.cols, to * m.cols), to - from, m.cols);
  return { x: slice(batch.x), y: slice(batch.y) };
}

describe('shardRows', () => {
  it('cuts rows into contiguous shards whose sizes differ by at most one, covering every row once', () => {
    for (const [total, shards] of [
      [10, 3],
      [2, 4],
      [128, 2],
      [0, 2],
    ] as const) {
      const cuts = Array.from({ length: shards }, (_, i) => shardRows(total, shards, i));
      expect(cuts[0]![0]).toBe(0);
      for (const [i, [, end]] of cuts.entries()) expect(cuts[i + 1]?.[0] ?? total).toBe(end);
      const sizes = cuts.map(([start, end]) => end - start);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect([0, 1, 2].map((i) => shardRows(10, 3, i))).toEqual([
      [0, 4],
      [4, 7],
      [7, 10],
    ]);
  });
});

describe('dataParallel', () => {
  it('gives the loss and gradient of one thread to 1e-12 (float64), on 2 and 3 threads, 4 to 6 chunks, uneven ones', async () => {
    const data = digits('float64');
    const single = mlp({ layers: [64, 32, 10] });
    const { createRng } = await import('@downhill/core');
    const params = single.initialize(createRng(5));
    for (const [threads, chunks] of [
      [2, undefined],
      [3, undefined],
      [2, 5],
    ] as const) {
      const parallel = await parallelMlp(threads, 'float64', chunks);
      expect(parallel.threads).toBe(threads);
      for (const [from, to] of [
        [0, 128],
        [100, 233],
        [0, 2],
        [7, 8],
      ] as const) {
        const batch = rows(data, from, to);
        const expected = new Float64Array(single.dimension);
        const got = new Float64Array(single.dimension);
        const loss = single.loss(params, batch, expected);
        expect(Math.abs(parallel.loss(params, batch, got) - loss)).toBeLessThanOrEqual(
          1e-12 * Math.abs(loss),
        );
        const scale = expected.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
        const gap = got.reduce((m, g, i) => Math.max(m, Math.abs(g - expected[i]!)), 0);
        expect(gap).toBeLessThanOrEqual(1e-12 * scale);
      }
    }
  });

  it('trains to the same parameters in every run, and to those of one thread within rounding', async () => {
    const data = digits('float64');
    const runOn = async (objective: ReturnType<typeof mlp>) => {
      const events = await new Promise<TrainEvent[]>((resolve, reject) => {
        const seen: TrainEvent[] = [];
        train({
          objective,
          optimizer: adam({ learningRate: 0.01 }),
          params: (rng) => objective.initialize(rng),
          seed: 3,
          loader: miniBatchLoader(data, { batchSize: 100, seed: 4 }),
          epochs: 2,
          mode: 'sync',
        }).subscribe({ next: (event) => seen.push(event), error: reject, complete: () => resolve(seen) });
      });
      return events.at(-1) as Extract<TrainEvent, { type: 'end' }>;
    };
    const first = await runOn(await parallelMlp(2));
    const second = await runOn(await parallelMlp(2));
    const single = await runOn(mlp({ layers: [64, 32, 10] }));
    expect(first.reason).toBe('completed');
    expect(first.step).toBe(36);
    expect(second.params).toEqual(first.params);
    const gap = first.params.reduce((m, p, i) => Math.max(m, Math.abs(p - single.params[i]!)), 0);
    expect(gap).toBeLessThan(1e-9);
    expect(first.loss).toBeLessThan(1);
  });

  it('runs float32 models (the WebAssembly SIMD kernels in every thread) within float32 rounding', async () => {
    const data = digits('float32');
    const single = mlp({ layers: [64, 32, 10], compute: 'float32' });
    const { createRng } = await import('@downhill/core');
    const params = single.initialize(createRng(8));
    const parallel = await parallelMlp(2, 'float32');
    const batch = rows(data, 0, 256);
    const expected = new Float64Array(single.dimension);
    const got = new Float64Array(single.dimension);
    const loss = single.loss(params, batch, expected);
    expect(Math.abs(parallel.loss(params, batch, got) - loss)).toBeLessThan(1e-5 * loss);
    const scale = expected.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
    expect(got.reduce((m, g, i) => Math.max(m, Math.abs(g - expected[i]!)), 0)).toBeLessThan(1e-5 * scale);
  });

  it("reports a thread's error with its message, and refuses options that cannot reach the workers", async () => {
    const parallel = await parallelMlp(2);
    const data = digits('float64');
    const batch = rows(data, 0, 10);
    const bad = {
      x: batch.x,
      y: matrix(
        Float64Array.from(batch.y.data, (v, i) => (i >= 5 ? 42 : v)),
        10,
        1,
      ),
    };
    const params = new Float64Array(parallel.dimension);
    expect(() => parallel.loss(params, bad, new Float64Array(parallel.dimension))).toThrow(/class 42/);
    // The threads go on after an error.
    const grad = new Float64Array(parallel.dimension);
    expect(Number.isFinite(parallel.loss(params, batch, grad))).toBe(true);
    await expect(
      dataParallel({ objective: { module: '@downhill/models', export: 'mlp', options: { f: () => 1 } } }),
    ).rejects.toThrow(/objective.options must survive a structured clone/);
    await expect(dataParallel({ objective: { module: '@downhill/models', export: 'nope' } })).rejects.toThrow(
      /has no function export "nope"/,
    );
    await expect(
      dataParallel({ objective: { module: '@downhill/models', export: 'mlp' }, threads: 0 }),
    ).rejects.toThrow(/threads must be an integer >= 1, got 0/);
  });

  it('fails the step with the cause when a worker dies in it, instead of waiting forever, and every step after', async () => {
    const module = new URL('../../test/dying-objective.ts', import.meta.url).href;
    const batch = rows(digits('float64'), 0, 40);
    const narrow = { x: matrix(batch.x.data.subarray(0, 40 * 4), 40, 4), y: batch.y };
    for (const [how, cause, resourceLimits] of [
      ['exit', /a worker died: it exited with code 3/, undefined],
      [
        'out-of-memory',
        /a worker died: .*out of memory/i,
        { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      ],
    ] as const) {
      const parallel = await dataParallel({
        objective: { module, export: 'dyingObjective', options: { how, dieAt: 3 } },
        threads: 2,
        chunks: 2,
        ...(resourceLimits ? { resourceLimits } : {}),
      });
      open.push(parallel as never);
      const params = new Float64Array(4);
      const grad = new Float64Array(4);
      // Chunks go to whichever thread is free, so the worker's third chunk comes at some step.
      let steps = 0;
      let failure: unknown;
      for (; steps < 1000 && failure === undefined; steps++) {
        try {
          expect(Number.isFinite(parallel.loss(params, narrow, grad))).toBe(true);
        } catch (error) {
          failure = error;
        }
      }
      expect(steps).toBeGreaterThanOrEqual(3);
      expect(String(failure)).toMatch(cause);
      expect(() => parallel.loss(params, narrow, grad)).toThrow(/close it and start again/);
      // Without a gradient it still answers on this thread, and it closes.
      expect(Number.isFinite(parallel.loss(params, narrow))).toBe(true);
      await parallel.close();
    }
  });

  it('closes its workers, after which it refuses to compute a gradient', async () => {
    const parallel = await parallelMlp(2);
    await parallel.close();
    const params = new Float64Array(parallel.dimension);
    const batch = rows(digits('float64'), 0, 4);
    expect(() => parallel.loss(params, batch, new Float64Array(parallel.dimension))).toThrow(/closed/);
    // Without a gradient (validation, metrics) it still answers on this thread.
    expect(Number.isFinite(parallel.loss(params, batch))).toBe(true);
  });
});
