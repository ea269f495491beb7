import { type Batch, type Matrix, type MatrixData, matrix } from '@downhill/core';

/** Slots of the control array the main thread and the workers share. */
export const GENERATION = 0;
export const DONE = 1;
export const ROWS = 2;
/** 1: stop; 2: read new batch buffers from the port first. */
export const OPCODE = 3;
export const FAILED = 4;
/** The next chunk of the batch a thread may take (Atomics.add). */
export const NEXT_CHUNK = 5;
/** Workers that died (counted by the supervisor thread, which outlives them). */
export const DEAD = 6;
export const CONTROL_SLOTS = 7;
export const OP_STEP = 0;
export const OP_STOP = 1;
export const OP_RESIZE = 2;

/** Batch buffers in shared memory, sized for `capacity` rows. */
export interface SharedBatchBuffers {
  readonly x: SharedArrayBuffer;
  readonly y: SharedArrayBuffer;
  readonly xCols: number;
  readonly yCols: number;
  readonly capacity: number;
  readonly float32: boolean;
}

export function sharedBatchBuffers(batch: Batch, capacity: number): SharedBatchBuffers {
  const float32 = batch.x.data instanceof Float32Array;
  const bytes = float32 ? 4 : 8;
  return {
    x: new SharedArrayBuffer(Math.max(1, capacity * batch.x.cols) * bytes),
    y: new SharedArrayBuffer(Math.max(1, capacity * batch.y.cols) * bytes),
    xCols: batch.x.cols,
    yCols: batch.y.cols,
    capacity,
    float32,
  };
}

/** Whether a batch fits buffers made for an earlier one (same columns and element type, enough rows). */
export function fits(buffers: SharedBatchBuffers | undefined, batch: Batch): buffers is SharedBatchBuffers {
  return (
    buffers !== undefined &&
    buffers.capacity >= batch.x.rows &&
    buffers.xCols === batch.x.cols &&
    buffers.yCols === batch.y.cols &&
    buffers.float32 === batch.x.data instanceof Float32Array
  );
}

/** Typed views of the shared buffers. */
export function batchArrays(buffers: SharedBatchBuffers): { x: MatrixData; y: MatrixData } {
  return buffers.float32
    ? { x: new Float32Array(buffers.x), y: new Float32Array(buffers.y) }
    : { x: new Float64Array(buffers.x), y: new Float64Array(buffers.y) };
}

/** Rows `[start, end)` of shard `index` of `shards`: contiguous, sizes differing by at most one. */
export function shardRows(rows: number, shards: number, index: number): [number, number] {
  const base = Math.floor(rows / shards);
  const extra = rows % shards;
  const start = index * base + Math.min(index, extra);
  return [start, start + base + (index < extra ? 1 : 0)];
}

/**
 * The batch cut into `chunks` chunks of rows, as views of the shared arrays, remade only when the
 * number of rows changes (the short last batch of an epoch): a step allocates nothing.
 */
export class ChunkViews {
  private rows = -1;
  private batches: Batch[] = [];

  constructor(
    private arrays: { x: MatrixData; y: MatrixData },
    private buffers: SharedBatchBuffers,
    private readonly chunks: number,
  ) {}

  replace(arrays: { x: MatrixData; y: MatrixData }, buffers: SharedBatchBuffers): void {
    this.arrays = arrays;
    this.buffers = buffers;
    this.rows = -1;
  }

  /** Chunk `index` of a batch of `rows` rows. */
  at(rows: number, index: number): Batch {
    if (rows !== this.rows) {
      const { xCols, yCols } = this.buffers;
      this.batches = Array.from({ length: this.chunks }, (_, c) => {
        const [start, end] = shardRows(rows, this.chunks, c);
        const view = (data: MatrixData, cols: number): Matrix =>
          matrix(data.subarray(start * cols, end * cols), end - start, cols);
        return { x: view(this.arrays.x, xCols), y: view(this.arrays.y, yCols) };
      });
      this.rows = rows;
    }
    return this.batches[index]!;
  }
}
