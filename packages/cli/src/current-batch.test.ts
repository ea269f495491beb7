import type { Loader } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { trackCurrentBatch } from './current-batch.js';

const numbers: Loader<number> = {
  batchesPerEpoch: 3,
  samples: 3,
  batchSize: 1,
  epoch: (e) => [10 * e, 10 * e + 1, 10 * e + 2],
  describe: () => ({ name: 'numbers' }),
};

describe('trackCurrentBatch', () => {
  it('yields the same batches and remembers the one yielded last', () => {
    const { loader, current } = trackCurrentBatch(numbers);
    expect(() => current()).toThrow(/no batch has been taken yet/);
    const seen: number[][] = [];
    for (const batch of loader.epoch(2) as Iterable<number>) seen.push([batch, current()]);
    expect(seen).toEqual([
      [20, 20],
      [21, 21],
      [22, 22],
    ]);
    expect(loader).toMatchObject({ batchesPerEpoch: 3, samples: 3, batchSize: 1 });
    expect(loader.describe?.()).toEqual({ name: 'numbers' });
  });

  it('tracks an asynchronous loader and stays asynchronous', async () => {
    const streamed: Loader<number> = {
      ...numbers,
      epoch: async function* () {
        yield 5;
        yield 6;
      },
    };
    const { loader, current } = trackCurrentBatch(streamed);
    const batches = loader.epoch(0);
    expect(Symbol.asyncIterator in batches).toBe(true);
    const seen: number[] = [];
    for await (const batch of batches as AsyncIterable<number>) seen.push(batch, current());
    expect(seen).toEqual([5, 5, 6, 6]);
  });

  it('closes the wrapped epoch when the consumer stops early', () => {
    let closed = false;
    const closing: Loader<number> = {
      ...numbers,
      epoch: function* () {
        try {
          yield 1;
          yield 2;
        } finally {
          closed = true;
        }
      },
    };
    const { loader } = trackCurrentBatch(closing);
    for (const _ of loader.epoch(0) as Iterable<number>) break;
    expect(closed).toBe(true);
  });
});
