import { Readable } from 'node:stream';
import type { Batch } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvSource } from './csv-source.js';
import { DataError } from './data-error.js';
import { jsonLinesSource } from './json-lines-source.js';
import { streamedLoader } from './streamed-loader.js';

interface Probe {
  opened: number;
  generated: number;
  destroyed: number;
}

/** A CSV stream of rows `i, -i, 10 i` made on demand, recording how far it was read. */
function rows(n: number, probe: Probe, perChunk = 100): () => Readable {
  return () => {
    probe.opened++;
    let i = 0;
    return new Readable({
      highWaterMark: 1024,
      read() {
        if (i >= n) {
          this.push(null);
          return;
        }
        let text = '';
        const end = Math.min(n, i + perChunk);
        for (; i < end; i++) text += `${i},${-i},${10 * i}\n`;
        probe.generated = i;
        this.push(text);
      },
      destroy(err, callback) {
        probe.destroyed++;
        callback(err);
      },
    });
  };
}

const newProbe = (): Probe => ({ opened: 0, generated: 0, destroyed: 0 });

async function visit(batches: AsyncIterable<Batch>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const b of batches) {
    const ids: number[] = [];
    for (let r = 0; r < b.x.rows; r++) {
      const id = b.x.data[2 * r]!;
      expect(b.x.data[2 * r + 1]! + id).toBe(0);
      expect(b.y.data[r]).toBe(10 * id);
      ids.push(id);
    }
    out.push(ids);
  }
  return out;
}

describe('streamedLoader', () => {
  it('sees every row exactly once per epoch, for any size, batch size, buffer and drop-last', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 250 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        fc.integer(),
        fc.nat(20),
        async (n, batchSize, shuffleBuffer, dropLast, seed, epoch) => {
          const source = csvSource({ input: rows(n, newProbe(), 7) });
          const loader = streamedLoader(source, { batchSize, shuffleBuffer, dropLast, seed });
          expect(loader.batchesPerEpoch).toBeUndefined();
          const batches = await visit(loader.epoch(epoch));
          const kept = dropLast ? Math.floor(n / batchSize) * batchSize : n;
          const seen = batches.flat();
          expect(seen.length).toBe(kept);
          expect(new Set(seen).size).toBe(kept);
          expect(
            batches.every((b, i) => b.length === batchSize || (i === batches.length - 1 && !dropLast)),
          ).toBe(true);
          // Learnt from the first full pass.
          expect(loader.samples).toBe(n);
          expect(loader.batchesPerEpoch).toBe(batches.length);
          if (shuffleBuffer === 0) expect(seen).toEqual(Array.from({ length: kept }, (_, i) => i));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('repeats an epoch for the same seed and differs between epochs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 60, max: 300 }), fc.integer(), fc.nat(100), async (n, seed, e) => {
        const make = () =>
          streamedLoader(csvSource({ input: rows(n, newProbe(), 13) }), {
            batchSize: 8,
            shuffleBuffer: 32,
            seed,
          });
        const loader = make();
        const first = (await visit(loader.epoch(e))).flat();
        expect((await visit(make().epoch(e))).flat()).toEqual(first);
        const next = (await visit(loader.epoch(e + 1))).flat();
        expect(next).not.toEqual(first);
        expect([...next].sort((a, b) => a - b)).toEqual([...first].sort((a, b) => a - b));
      }),
      { numRuns: 25 },
    );
  });

  it('knows its batches per epoch up front when the samples are declared, and checks them', async () => {
    const loader = streamedLoader(csvSource({ input: rows(1000, newProbe()) }), {
      batchSize: 32,
      samples: 1000,
    });
    expect(loader.batchesPerEpoch).toBe(32);
    expect(
      streamedLoader(csvSource({ input: rows(1000, newProbe()) }), {
        batchSize: 32,
        samples: 1000,
        dropLast: true,
      }).batchesPerEpoch,
    ).toBe(31);
    expect((await visit(loader.epoch(0))).length).toBe(32);
    const wrong = streamedLoader(csvSource({ input: rows(100, newProbe()), name: 'short.csv' }), {
      batchSize: 10,
      samples: 120,
    });
    await expect(visit(wrong.epoch(0))).rejects.toThrow(
      /short\.csv: read 100 rows, but 120 samples were declared/,
    );
    const over = streamedLoader(csvSource({ input: rows(100, newProbe()), name: 'long.csv' }), {
      batchSize: 10,
      samples: 50,
    });
    await expect(visit(over.epoch(0))).rejects.toThrow(/long\.csv: more rows than the 50 samples declared/);
  });

  it('reads lazily, re-reads the source every epoch and respects backpressure', async () => {
    const probe = newProbe();
    const n = 50_000;
    const loader = streamedLoader(csvSource({ input: rows(n, probe) }), {
      batchSize: 16,
      shuffleBuffer: 256,
    });
    const it = loader.epoch(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(probe.opened).toBe(0); // nothing happens before the first batch is asked for
    const first = await it.next();
    expect(first.done).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    // Only what fills the shuffle buffer, one batch and the streams' high-water marks was read.
    expect(probe.generated).toBeGreaterThan(256);
    expect(probe.generated).toBeLessThan(5_000);
    await it.return?.();
    expect(probe.destroyed).toBe(1);
    let second = 0;
    for await (const b of loader.epoch(1)) second += b.x.rows;
    expect(probe.opened).toBe(2);
    expect(second).toBe(n);
  });

  it('rejects going on with an epoch after a later one started, since they share the buffers', async () => {
    const loader = streamedLoader(csvSource({ input: rows(100, newProbe()) }), {
      batchSize: 10,
      shuffleBuffer: 0,
    });
    const first = loader.epoch(0);
    await first.next();
    const second = loader.epoch(1);
    await second.next();
    await expect(first.next()).rejects.toThrow(/epoch 0 was interrupted by a later epoch/);
    await second.return?.();
  });

  it('reuses one pair of batch buffers for the whole run', async () => {
    const loader = streamedLoader(csvSource({ input: rows(100, newProbe()) }), {
      batchSize: 10,
      shuffleBuffer: 5,
    });
    const buffers = new Set<unknown>();
    for (let e = 0; e < 2; e++) for await (const b of loader.epoch(e)) buffers.add(b.x.data.buffer);
    expect(buffers.size).toBe(1);
  });

  it('streams JSON Lines too, with float32 batches', async () => {
    const text = Array.from({ length: 50 }, (_, i) => JSON.stringify({ a: i, b: -i, y: 10 * i })).join('\n');
    const loader = streamedLoader(jsonLinesSource({ input: () => Readable.from([text]), targets: 'y' }), {
      batchSize: 7,
      shuffleBuffer: 10,
      dtype: 'float32',
      seed: 1,
    });
    let count = 0;
    for await (const b of loader.epoch(0)) {
      expect(b.x.data).toBeInstanceOf(Float32Array);
      count += b.x.rows;
    }
    expect(count).toBe(50);
    expect((await visit(loader.epoch(1))).flat().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('passes errors from the source through with file, line and column', async () => {
    const input = () => Readable.from(['1,2,3\n4,5,6\n7,oops,9\n']);
    const loader = streamedLoader(csvSource({ input, name: 'bad.csv' }), { batchSize: 1, shuffleBuffer: 0 });
    const err = await visit(loader.epoch(0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe('bad.csv: line 3, column 2: non-numeric value "oops"');
  });

  it('counts skipped rows of a pass', async () => {
    const input = () => Readable.from(['1,2\nx,3\n4,5\n6\n']);
    const loader = streamedLoader(csvSource({ input, onInvalid: 'skip' }), { batchSize: 4 });
    expect(loader.skipped).toBeUndefined();
    const rowsSeen = (await visit2(loader.epoch(0))).length;
    expect(rowsSeen).toBe(2);
    expect(loader.skipped).toBe(2);
  });

  it('rejects bad options with the parameter and its range', () => {
    const source = csvSource({ input: rows(10, newProbe()) });
    expect(() => streamedLoader(source, { batchSize: 0 })).toThrow(
      /batchSize must be an integer >= 1, got 0/,
    );
    expect(() => streamedLoader(source, { batchSize: 1, shuffleBuffer: -1 })).toThrow(/shuffleBuffer/);
    expect(() => streamedLoader(source, { batchSize: 1, samples: 0 })).toThrow(
      /samples must be an integer >= 1/,
    );
  });

  it('describes itself and its source as plain data', () => {
    const loader = streamedLoader(csvSource({ input: 'data.csv', header: true, targets: 'y' }), {
      batchSize: 4,
    });
    const d = loader.describe();
    expect(d).toMatchObject({
      name: 'streamed',
      batchSize: 4,
      source: { name: 'csv', file: 'data.csv', targets: 'y' },
    });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

async function visit2(batches: AsyncIterable<Batch>): Promise<number[]> {
  const out: number[] = [];
  for await (const b of batches) for (let r = 0; r < b.x.rows; r++) out.push(b.x.data[r]!);
  return out;
}
