import { type Batch, createRng, type Description, deriveSeed, type Loader, matrix } from '@downhill/core';
import { batchesPerEpoch } from './batches-per-epoch.js';
import { DataError } from './data-error.js';
import { allocate, type DType } from './dataset.js';
import type { RowSource } from './row-source.js';

export interface StreamedLoaderOptions {
  /** Rows per batch, an integer >= 1. */
  readonly batchSize: number;
  /**
   * Rows held for shuffling (default 4096; 0 keeps the source order). Memory is bounded by this
   * buffer, not by the size of the source.
   */
  readonly shuffleBuffer?: number;
  /** The shuffle of epoch `e` is seeded with `deriveSeed(seed, e)` (default 0). */
  readonly seed?: number;
  /** Drop the last batch of an epoch when it is short (default false). */
  readonly dropLast?: boolean;
  /**
   * Rows per pass, when known ahead: makes `batchesPerEpoch` known before the first epoch (a run
   * can then resume mid-epoch). Every pass checks it. Without it, the count is learnt from the
   * first complete pass.
   */
  readonly samples?: number;
  /** Element type of the batches (default `float64`). */
  readonly dtype?: DType;
}

/** A loader over a source read anew every epoch; epochs are asynchronous. */
export interface StreamedLoader extends Loader<Batch> {
  epoch(epoch: number): AsyncIterableIterator<Batch>;
  /** Invalid rows skipped in the last complete pass (`onInvalid: 'skip'` sources), if any pass ended. */
  readonly skipped: number | undefined;
  describe(): Description;
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`streamedLoader: ${name} must be an integer >= ${min}, got ${value}`);
}

/**
 * Batches from a source larger than memory. Each epoch re-reads the source lazily (nothing is
 * read before the first batch is requested, and the next chunk only when the consumer asks,
 * which is backpressure) and approximates a shuffle with a seeded buffer: the first
 * `shuffleBuffer` rows fill it, then each new row takes the place of a uniformly drawn one, which
 * goes to the batch; at the end the rest leave in a shuffled order (the scheme of TensorFlow's
 * `Dataset.shuffle`). Every row is still seen exactly once per epoch. Batches are gathered into
 * buffers reused for the whole run: a batch is valid until the next one is requested.
 */
export function streamedLoader(source: RowSource, options: StreamedLoaderOptions): StreamedLoader {
  const { batchSize, shuffleBuffer = 4096, seed = 0, dropLast = false, dtype = 'float64' } = options;
  checkInteger('batchSize', batchSize, 1);
  checkInteger('shuffleBuffer', shuffleBuffer, 0);
  if (options.samples !== undefined) checkInteger('samples', options.samples, 1);
  if (!Number.isFinite(seed))
    throw new RangeError(`streamedLoader: seed must be a finite number, got ${seed}`);
  let samples = options.samples;
  let skipped: number | undefined;

  // Allocated on the first row (the width is known then) and reused by every later epoch.
  let nf = -1;
  let nt = -1;
  let pool = new Float64Array(0);
  let drain = new Uint32Array(0);
  let xBuf = allocate(dtype, 0);
  let yBuf = allocate(dtype, 0);
  let full: Batch | undefined;
  let generation = 0;

  const prepare = (features: number, targets: number): void => {
    if (features === nf && targets === nt) return;
    nf = features;
    nt = targets;
    pool = new Float64Array(shuffleBuffer * (nf + nt));
    drain = new Uint32Array(shuffleBuffer);
    xBuf = allocate(dtype, batchSize * nf);
    yBuf = allocate(dtype, batchSize * nt);
    full = { x: matrix(xBuf, batchSize, nf), y: matrix(yBuf, batchSize, nt) };
  };

  const put = (row: Float64Array, offset: number, slot: number): void => {
    const xo = slot * nf;
    const yo = slot * nt;
    for (let c = 0; c < nf; c++) xBuf[xo + c] = row[offset + c]!;
    for (let c = 0; c < nt; c++) yBuf[yo + c] = row[offset + nf + c]!;
  };

  async function* epoch(e: number): AsyncGenerator<Batch> {
    checkInteger('epoch', e, 0);
    // Epochs share the buffers: an older epoch must not go on once a newer one has started.
    const mine = ++generation;
    const check = (): void => {
      if (mine !== generation) {
        throw new Error(`loader: epoch ${e} was interrupted by a later epoch; iterate one epoch at a time`);
      }
    };
    const reader = source.open();
    const rng = createRng(deriveSeed(seed, e));
    let width = 0;
    let filled = 0;
    let inBatch = 0;
    let seen = 0;
    const expected = options.samples;
    for await (const block of reader) {
      if (seen === 0) {
        const layout = reader.layout!;
        prepare(layout.featureIndex.length, layout.targetIndex.length);
        width = nf + nt;
      }
      const rowsInBlock = block.rows;
      const values = block.values;
      seen += rowsInBlock;
      if (expected !== undefined && seen > expected) {
        throw new DataError(`more rows than the ${expected} samples declared`, { file: source.name });
      }
      for (let r = 0; r < rowsInBlock; r++) {
        const at = r * width;
        if (shuffleBuffer === 0) {
          put(values, at, inBatch++);
        } else if (filled < shuffleBuffer) {
          const to = filled * width;
          for (let c = 0; c < width; c++) pool[to + c] = values[at + c]!;
          filled++;
          continue;
        } else {
          const j = rng.int(shuffleBuffer);
          put(pool, j * width, inBatch++);
          for (let c = 0; c < width; c++) pool[j * width + c] = values[at + c]!;
        }
        if (inBatch === batchSize) {
          inBatch = 0;
          yield full!;
          check();
        }
      }
    }
    for (let i = 0; i < filled; i++) drain[i] = i;
    rng.shuffle(drain.subarray(0, filled));
    for (let i = 0; i < filled; i++) {
      put(pool, drain[i]! * width, inBatch++);
      if (inBatch === batchSize) {
        inBatch = 0;
        yield full!;
        check();
      }
    }
    if (expected !== undefined && seen !== expected) {
      throw new DataError(`read ${seen} rows, but ${expected} samples were declared`, { file: source.name });
    }
    if (seen === 0) {
      throw new DataError(`no data rows${reader.skipped > 0 ? ` (${reader.skipped} skipped)` : ''}`, {
        file: source.name,
      });
    }
    samples = seen;
    skipped = reader.skipped;
    if (inBatch > 0 && !dropLast) {
      // Once per epoch at most: a view over the start of the reused buffers.
      yield {
        x: matrix(xBuf.subarray(0, inBatch * nf), inBatch, nf),
        y: matrix(yBuf.subarray(0, inBatch * nt), inBatch, nt),
      };
    }
  }

  return {
    get batchesPerEpoch() {
      return samples === undefined ? undefined : batchesPerEpoch(samples, batchSize, dropLast);
    },
    get samples() {
      return samples;
    },
    get skipped() {
      return skipped;
    },
    batchSize,
    epoch,
    describe: () => ({
      name: 'streamed',
      source: source.describe(),
      batchSize,
      shuffleBuffer,
      seed,
      dropLast,
      dtype,
      ...(samples !== undefined ? { samples } : {}),
    }),
  };
}
