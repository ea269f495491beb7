import { type Batch, createRng, type Description, deriveSeed, type Loader, matrix } from '@downhill/core';
import { gatherBuffer } from './batch-buffers.js';
import { batchViews, MAX_BATCH_VIEWS } from './batch-views.js';
import { batchesPerEpoch } from './batches-per-epoch.js';
import type { Dataset } from './dataset.js';
import { bitsOf, gatherRows64, gatherRowsBits32 } from './gather-rows.js';

export interface MiniBatchLoaderOptions {
  /** Rows per batch, an integer >= 1 (default: the whole dataset, i.e. full batch). */
  readonly batchSize?: number;
  /** Visit the samples in a new seeded order every epoch (default true). */
  readonly shuffle?: boolean;
  /** The order of epoch `e` is a Fisher-Yates shuffle seeded with `deriveSeed(seed, e)` (default 0). */
  readonly seed?: number;
  /** Drop the last batch of an epoch when it is short (default false: keep it). */
  readonly dropLast?: boolean;
}

/** An in-memory loader: synchronous epochs whose batches are gathered into reused buffers. */
export interface InMemoryLoader extends Loader<Batch> {
  readonly batchesPerEpoch: number;
  readonly samples: number;
  readonly batchSize: number;
  epoch(epoch: number): IterableIterator<Batch>;
  /** The sample order of an epoch (a copy): what `epoch(e)` visits, batch after batch. */
  order(epoch: number): Uint32Array;
  describe(): Description;
}

function checkEpoch(epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0)
    throw new RangeError(`loader.epoch: epoch must be a non-negative integer, got ${epoch}`);
}

/**
 * Mini-batch loader over a dataset in memory: every epoch visits each sample exactly once, in an
 * order derived from seed and epoch only (a resumed run sees the same batches), cut into
 * `ceil(samples / batchSize)` batches (`floor` with `dropLast`). Nothing is copied or allocated
 * per batch: unshuffled batches are views (`subarray`s) of the dataset's own matrices, made once
 * (up to MAX_BATCH_VIEWS batches an epoch; beyond that they are copied), and unshuffled full
 * batches are the dataset's matrices themselves. Shuffled batches are gathered into two reused
 * buffers allocated here (float32 inputs in kernel memory, where the WebAssembly SIMD kernels read
 * them in place): a batch is valid until the next one is requested. Epochs iterated at the same
 * time (several runs sharing one loader) each gather into their own buffers.
 */
export function miniBatchLoader(dataset: Dataset, options: MiniBatchLoaderOptions = {}): InMemoryLoader {
  const { x, y } = dataset;
  const samples = x.rows;
  if (y.rows !== samples) throw new RangeError(`miniBatchLoader: x has ${samples} rows, y has ${y.rows}`);
  if (samples === 0) throw new RangeError('miniBatchLoader: the dataset has no samples');
  if (x.data.constructor !== y.data.constructor) {
    throw new TypeError(`miniBatchLoader: x is a ${x.data.constructor.name}, y a ${y.data.constructor.name}`);
  }
  const batchSize = options.batchSize ?? samples;
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? 0;
  const dropLast = options.dropLast ?? false;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`miniBatchLoader: batchSize must be an integer >= 1, got ${batchSize}`);
  if (!Number.isFinite(seed))
    throw new RangeError(`miniBatchLoader: seed must be a finite number, got ${seed}`);
  const count = batchesPerEpoch(samples, batchSize, dropLast);
  if (count === 0) {
    throw new RangeError(
      `miniBatchLoader: dropLast with batchSize ${batchSize} > ${samples} samples leaves no batch per epoch`,
    );
  }
  const size = Math.min(batchSize, samples);
  const tail = dropLast ? size : samples - (count - 1) * size;
  const direct = !shuffle && size === samples;
  // Unshuffled batches are contiguous rows: views of the dataset, made once (no copy, no allocation).
  const views = !shuffle && !direct && count <= MAX_BATCH_VIEWS ? batchViews(x, y, size, count) : undefined;
  // Shuffled batches are gathered into a set of reused buffers. Epochs iterated at the same time
  // (runs sharing one loader) each take their own set; a set goes back to the pool when its epoch
  // ends, so a single run allocates its buffers once.
  interface GatherBuffers {
    readonly full: Batch;
    readonly short: Batch;
    readonly order: Uint32Array;
    readonly gather: (from: number, rows: number) => void;
  }
  const newGatherBuffers = (): GatherBuffers => {
    const xBuf = gatherBuffer(x.data, size * x.cols, 'x');
    const yBuf = gatherBuffer(y.data, size * y.cols, 'y');
    const full: Batch = { x: matrix(xBuf, size, x.cols), y: matrix(yBuf, size, y.cols) };
    const short: Batch =
      tail === size
        ? full
        : {
            x: matrix(xBuf.subarray(0, tail * x.cols), tail, x.cols),
            y: matrix(yBuf.subarray(0, tail * y.cols), tail, y.cols),
          };
    const order = new Uint32Array(samples);
    // Views made once here, so that a batch allocates nothing.
    const bits =
      x.data instanceof Float32Array
        ? {
            x: bitsOf(x.data),
            y: bitsOf(y.data as Float32Array),
            xBuf: bitsOf(xBuf as Float32Array),
            yBuf: bitsOf(yBuf as Float32Array),
          }
        : undefined;
    const gather = (from: number, rows: number): void => {
      if (bits) {
        gatherRowsBits32(bits.x, bits.xBuf, x.cols, order, from, rows);
        gatherRowsBits32(bits.y, bits.yBuf, y.cols, order, from, rows);
      } else {
        gatherRows64(x.data as Float64Array, xBuf as Float64Array, x.cols, order, from, rows);
        gatherRows64(y.data as Float64Array, yBuf as Float64Array, y.cols, order, from, rows);
      }
    };
    return { full, short, order, gather };
  };
  const pool: GatherBuffers[] = [];
  const whole: Batch = { x, y };

  const fillOrder = (epoch: number, out: Uint32Array): Uint32Array => {
    for (let i = 0; i < samples; i++) out[i] = i;
    if (shuffle) createRng(deriveSeed(seed, epoch)).shuffle(out);
    return out;
  };

  const epoch = (e: number): IterableIterator<Batch> => {
    checkEpoch(e);
    let index = 0;
    let buffers: GatherBuffers | undefined;
    const release = (): void => {
      if (buffers) pool.push(buffers);
      buffers = undefined;
    };
    // One result object, rewritten by each `next()`: the iteration allocates nothing per batch.
    const result = { done: false, value: whole } as { done: boolean; value: Batch };
    const finish = (): IteratorResult<Batch> => {
      index = count;
      release();
      result.done = true;
      result.value = undefined as unknown as Batch;
      return result as IteratorResult<Batch>;
    };
    const iterator: IterableIterator<Batch> = {
      next(): IteratorResult<Batch> {
        if (index >= count) return finish();
        let batch: Batch;
        if (direct) batch = whole;
        else if (views !== undefined) batch = views[index]!;
        else {
          if (!buffers) {
            buffers = pool.pop() ?? newGatherBuffers();
            fillOrder(e, buffers.order);
          }
          batch = index === count - 1 ? buffers.short : buffers.full;
          buffers.gather(index * size, batch.x.rows);
        }
        index++;
        result.done = false;
        result.value = batch;
        return result as IteratorResult<Batch>;
      },
      return(): IteratorResult<Batch> {
        return finish();
      },
      [Symbol.iterator]() {
        return iterator;
      },
    };
    return iterator;
  };

  return {
    batchesPerEpoch: count,
    samples,
    batchSize: size,
    epoch,
    order: (e) => {
      checkEpoch(e);
      return fillOrder(e, new Uint32Array(samples));
    },
    describe: () => ({
      name: size === samples ? 'full-batch' : size === 1 ? 'stochastic' : 'mini-batch',
      samples,
      features: x.cols,
      targets: y.cols,
      batchSize: size,
      batchesPerEpoch: count,
      shuffle,
      seed,
      dropLast,
      dtype: x.data instanceof Float32Array ? 'float32' : 'float64',
      ...(dataset.featureNames ? { featureNames: [...dataset.featureNames] } : {}),
      ...(dataset.targetNames ? { targetNames: [...dataset.targetNames] } : {}),
    }),
  };
}
