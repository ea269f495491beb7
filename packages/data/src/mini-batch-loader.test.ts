import { allocateKernelFloat32Array, type Batch, inKernelMemory } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_VIEWS } from './batch-views.js';
import { fromTypedArrays } from './from-typed-arrays.js';
import { fullBatchLoader } from './full-batch-loader.js';
import { miniBatchLoader } from './mini-batch-loader.js';
import { stochasticLoader } from './stochastic-loader.js';

// Whether this runtime has WebAssembly SIMD (kernel memory is then WebAssembly memory).
const wasmSimd = inKernelMemory(allocateKernelFloat32Array(1));

/** Sample i has x = [i, -i] and y = [10 i]: every row says which sample it is. */
function indexed(n: number, dtype: 'float32' | 'float64' = 'float64') {
  const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const x = new Ctor(2 * n);
  const y = new Ctor(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
    y[i] = 10 * i;
  }
  return fromTypedArrays({ x, y, features: 2 });
}

/** The sample ids of an epoch, batch by batch, checking each row's x and y agree. */
function visit(batches: Iterable<Batch>): number[][] {
  const out: number[][] = [];
  for (const b of batches) {
    const ids: number[] = [];
    for (let r = 0; r < b.x.rows; r++) {
      const id = b.x.data[2 * r]!;
      expect(b.x.data[2 * r + 1]).toBe(-id);
      expect(b.y.data[r]).toBe(10 * id);
      ids.push(id);
    }
    out.push(ids);
  }
  return out;
}

describe('miniBatchLoader', () => {
  it('sees every sample exactly once per epoch, for any size, batch size and drop-last', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        fc.nat(50),
        (n, batchSize, dropLast, shuffle, seed, epoch) => {
          fc.pre(!(dropLast && batchSize > n));
          const loader = miniBatchLoader(indexed(n), { batchSize, dropLast, shuffle, seed });
          const batches = visit(loader.epoch(epoch));
          expect(batches.length).toBe(loader.batchesPerEpoch);
          expect(loader.batchesPerEpoch).toBe(
            dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize),
          );
          const seen = batches.flat();
          const kept = dropLast ? loader.batchesPerEpoch * batchSize : n;
          expect(seen.length).toBe(kept);
          expect(new Set(seen).size).toBe(kept);
          for (const b of batches.slice(0, -1)) expect(b.length).toBe(Math.min(batchSize, n));
          // The batches follow `order(epoch)`; with drop-last only the tail of it is left out.
          expect(seen).toEqual(Array.from(loader.order(epoch).subarray(0, kept)));
          if (!dropLast)
            expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
    );
  });

  it('gives the same order for the same seed and epoch, even from a fresh loader (a resumed run)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer(),
        fc.nat(1000),
        (n, b, seed, e) => {
          const a = miniBatchLoader(indexed(n), { batchSize: b, seed });
          const first = visit(a.epoch(e));
          visit(a.epoch(e + 1));
          const again = visit(miniBatchLoader(indexed(n), { batchSize: b, seed }).epoch(e));
          expect(again).toEqual(first);
          expect(visit(a.epoch(e))).toEqual(first);
        },
      ),
    );
  });

  it('gives different epochs (and different seeds) different orders', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 500 }), fc.integer(), fc.nat(1000), (n, seed, e) => {
        // With n >= 20 two independent uniform permutations coincide with probability 1/n! < 1e-18.
        const loader = miniBatchLoader(indexed(n), { batchSize: 7, seed });
        expect(Array.from(loader.order(e + 1))).not.toEqual(Array.from(loader.order(e)));
        const other = miniBatchLoader(indexed(n), { batchSize: 7, seed: seed + 1 });
        expect(Array.from(other.order(e))).not.toEqual(Array.from(loader.order(e)));
      }),
    );
  });

  it('cuts 10,000 samples at batch 32 into 313 batches, 312 with drop-last', () => {
    const data = indexed(10_000);
    const keep = miniBatchLoader(data, { batchSize: 32 });
    const drop = miniBatchLoader(data, { batchSize: 32, dropLast: true });
    expect(keep.batchesPerEpoch).toBe(313);
    expect(drop.batchesPerEpoch).toBe(312);
    const sizes = visit(keep.epoch(0)).map((b) => b.length);
    expect(sizes.length).toBe(313);
    expect(sizes.at(-1)).toBe(10_000 - 312 * 32);
    expect(visit(drop.epoch(0)).every((b) => b.length === 32)).toBe(true);
  });

  it('gathers into the same buffers every batch and every epoch (no allocation per batch)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const loader = miniBatchLoader(indexed(103, dtype), { batchSize: 10, seed: 3 });
      const xs = new Set<unknown>();
      const ys = new Set<unknown>();
      const batches = new Set<unknown>();
      for (let e = 0; e < 3; e++) {
        for (const b of loader.epoch(e)) {
          xs.add(b.x.data.buffer);
          ys.add(b.y.data.buffer);
          batches.add(b);
          expect(b.x.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        }
      }
      expect(xs.size).toBe(1);
      expect(ys.size).toBe(1);
      expect(batches.size).toBe(2); // the full batch and the short last one
    }
  });

  it('hands out unshuffled batches as views of the dataset (same memory, no copy), made once', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const data = indexed(103, dtype);
      const loader = miniBatchLoader(data, { batchSize: 10, shuffle: false });
      const first = [...loader.epoch(0)];
      expect(first).toHaveLength(11);
      first.forEach((b, i) => {
        expect(b.x.data.buffer).toBe(data.x.data.buffer);
        expect(b.y.data.buffer).toBe(data.y.data.buffer);
        expect(b.x.data.byteOffset).toBe(data.x.data.byteOffset + i * 10 * 2 * b.x.data.BYTES_PER_ELEMENT);
        expect(b.x.rows).toBe(i === 10 ? 3 : 10);
      });
      // A later epoch hands out the very same batch objects: nothing is allocated per batch.
      const second = [...loader.epoch(1)];
      for (const [i, b] of second.entries()) expect(b).toBe(first[i]);
      // Writing through the dataset shows in the view: it is not a copy.
      data.x.data[2 * 15] = 1000;
      expect(second[1]!.x.data[2 * 5]).toBe(1000);
    }
  });

  it('copies unshuffled batches when an epoch has more batches than it keeps views for', () => {
    const n = MAX_BATCH_VIEWS + 5;
    const data = indexed(n, 'float32');
    const loader = miniBatchLoader(data, { batchSize: 1, shuffle: false });
    const it = loader.epoch(0);
    const a = it.next().value as Batch;
    expect(a.x.data.buffer).not.toBe(data.x.data.buffer);
    expect(Array.from(a.x.data)).toEqual([0, -0]);
    const b = it.next().value as Batch;
    expect(b).toBe(a); // one reused buffer
    expect(Array.from(b.x.data)).toEqual([1, -1]);
    let count = 2;
    for (const batch of it) {
      expect(batch.x.data[0]).toBe(count);
      count++;
    }
    expect(count).toBe(n);
  });

  it('gathers shuffled float32 inputs into kernel memory, where the SIMD kernels read them in place', () => {
    const f32 = miniBatchLoader(indexed(40, 'float32'), { batchSize: 8, seed: 1 });
    const [batch] = f32.epoch(0);
    expect(inKernelMemory(batch!.x.data)).toBe(wasmSimd);
    expect(inKernelMemory(batch!.y.data)).toBe(false);
    const f64 = miniBatchLoader(indexed(40), { batchSize: 8, seed: 1 });
    const [batch64] = f64.epoch(0);
    expect(inKernelMemory(batch64!.x.data)).toBe(false);
  });

  it('iterates epochs at the same time (runs sharing a loader) each in its own buffers', () => {
    const loader = miniBatchLoader(indexed(10), { batchSize: 3, seed: 4 });
    const alone = (e: number) => {
      const batches: number[][] = [];
      for (const b of loader.epoch(e)) batches.push([...b.x.data]);
      return batches;
    };
    const expected = [alone(0), alone(1), alone(0)];
    const iterators = [loader.epoch(0), loader.epoch(1), loader.epoch(0)];
    const seen: number[][][] = [[], [], []];
    for (let i = 0; i < loader.batchesPerEpoch; i++) {
      iterators.forEach((it, k) => {
        const r = it.next();
        expect(r.done).toBe(false);
        seen[k]!.push([...r.value.x.data]);
      });
    }
    for (const it of iterators) expect(it.next().done).toBe(true);
    expect(seen).toEqual(expected);
  });

  it('reuses one set of buffers for epoch after epoch, and after an epoch left early', () => {
    const loader = miniBatchLoader(indexed(10), { batchSize: 4, seed: 2 });
    const [first] = loader.epoch(0);
    const [again] = loader.epoch(1);
    expect(again!.x.data).toBe(first!.x.data);
    const left = loader.epoch(2);
    const held = left.next().value.x.data;
    const [other] = loader.epoch(3);
    expect(other!.x.data).not.toBe(held);
    left.return?.();
    const [after] = loader.epoch(4);
    expect([held, other!.x.data]).toContain(after!.x.data);
  });

  it('rejects bad options with the parameter and its valid range', () => {
    const data = indexed(10);
    expect(() => miniBatchLoader(data, { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1, got 0/);
    expect(() => miniBatchLoader(data, { batchSize: 2.5 })).toThrow(/batchSize/);
    expect(() => miniBatchLoader(data, { batchSize: 11, dropLast: true })).toThrow(/leaves no batch/);
    expect(() => miniBatchLoader(data, { seed: Number.NaN })).toThrow(/seed must be a finite number/);
    expect(() => miniBatchLoader(data).epoch(-1)).toThrow(/epoch must be a non-negative integer, got -1/);
  });

  it('describes itself as plain data', () => {
    const loader = miniBatchLoader(indexed(10), { batchSize: 4, seed: 9 });
    expect(loader.describe()).toMatchObject({
      name: 'mini-batch',
      samples: 10,
      batchSize: 4,
      batchesPerEpoch: 3,
      seed: 9,
    });
    expect(JSON.parse(JSON.stringify(loader.describe()))).toEqual(loader.describe());
  });
});

describe('fullBatchLoader', () => {
  it('yields the dataset itself, once per epoch, without copying', () => {
    const data = indexed(50);
    const loader = fullBatchLoader(data);
    expect(loader.batchesPerEpoch).toBe(1);
    const batches = [...loader.epoch(4)];
    expect(batches).toHaveLength(1);
    expect(batches[0]!.x).toBe(data.x);
    expect(batches[0]!.y).toBe(data.y);
    expect(loader.describe().name).toBe('full-batch');
  });
});

describe('stochasticLoader', () => {
  it('yields one sample per batch, each once per epoch, in a seeded order', () => {
    const loader = stochasticLoader(indexed(25), { seed: 5 });
    expect(loader.batchesPerEpoch).toBe(25);
    const batches = visit(loader.epoch(0));
    expect(batches.every((b) => b.length === 1)).toBe(true);
    expect(new Set(batches.flat()).size).toBe(25);
    expect(batches.flat()).not.toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(loader.describe().name).toBe('stochastic');
  });
});
