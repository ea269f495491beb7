import type { Matrix } from '@downhill/core';

function argmax(values: ArrayLike<number>, base: number, count: number): number {
  let best = 0;
  let bestValue = values[base]!;
  for (let j = 1; j < count; j++) {
    if (values[base + j]! > bestValue) {
      bestValue = values[base + j]!;
      best = j;
    }
  }
  return best;
}

/**
 * Fraction of rows classified correctly. With one output, a prediction (a probability) counts as
 * class 1 when it is >= `threshold` (default 0.5) and the target as class 1 when it is >= 0.5.
 * With k outputs the predicted class is the row's argmax; targets are class indices (1 column)
 * or one-hot rows (k columns).
 */
export function accuracy(
  predictions: ArrayLike<number>,
  outputs: number,
  targets: Matrix,
  threshold = 0.5,
): number {
  const rows = targets.rows;
  if (rows === 0) return 0;
  const y = targets.data;
  let correct = 0;
  if (outputs === 1) {
    for (let r = 0; r < rows; r++) if (predictions[r]! >= threshold === y[r]! >= 0.5) correct++;
    return correct / rows;
  }
  const indexTargets = targets.cols === 1;
  if (!indexTargets && targets.cols !== outputs) {
    throw new RangeError(`accuracy: targets have ${targets.cols} columns, expected 1 or ${outputs}`);
  }
  for (let r = 0; r < rows; r++) {
    const predicted = argmax(predictions, r * outputs, outputs);
    const actual = indexTargets ? y[r]! : argmax(y, r * outputs, outputs);
    if (predicted === actual) correct++;
  }
  return correct / rows;
}
