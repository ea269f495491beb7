/** Replaces each row of logits by its softmax (max subtracted first, so large logits are safe). */
export function softmaxRowsInPlace(values: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (values[base + j]! > max) max = values[base + j]!;
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(values[base + j]! - max);
      values[base + j] = e;
      s += e;
    }
    for (let j = 0; j < cols; j++) values[base + j]! /= s;
  }
}
