import { type Batch, type Matrix, type MatrixData, matrix } from '@downhill/core';

/**
 * Most batches an epoch may have for its batches to be handed out as views made up front (about
 * 250 bytes each); beyond it (tiny batches over a huge data set) the loader copies instead.
 */
export const MAX_BATCH_VIEWS = 32_768;

/**
 * The batches of an unshuffled epoch as views (`subarray`s) of the dataset's own matrices, made
 * once so that handing one out neither copies nor allocates. Batch `i` holds rows
 * `[i * size, i * size + size)`, the last one only what is left.
 */
export function batchViews(x: Matrix, y: Matrix, size: number, count: number): Batch[] {
  const views: Batch[] = [];
  for (let i = 0; i < count; i++) {
    const from = i * size;
    const rows = Math.min(size, x.rows - from);
    views.push({ x: rowsOf(x, from, rows), y: rowsOf(y, from, rows) });
  }
  return views;
}

function rowsOf(m: Matrix, from: number, rows: number): Matrix {
  const data: MatrixData = m.data.subarray(from * m.cols, (from + rows) * m.cols);
  return matrix(data, rows, m.cols);
}
