import { createRng } from '@downhill/core';

export const INPUTS = 784;
export const CLASSES = 10;

/**
 * MNIST-shaped synthetic data (there is no MNIST in ../shared/data; digits is 8x8): pixels in
 * [0, 1), labels the argmax of a fixed random linear teacher, so that the task is learnable.
 */
export function mnistShapedData(rows: number): {
  xData: Float32Array;
  labels: Float32Array;
  oneHot: Float32Array;
} {
  const rng = createRng(784);
  const xData = new Float32Array(rows * INPUTS);
  for (let i = 0; i < xData.length; i++) xData[i] = rng.next();
  const teacher = Float64Array.from({ length: CLASSES * INPUTS }, () => rng.normal());
  const labels = new Float32Array(rows);
  const oneHot = new Float32Array(rows * CLASSES);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < CLASSES; c++) {
      let s = 0;
      for (let k = 0; k < INPUTS; k++) s += teacher[c * INPUTS + k]! * (xData[r * INPUTS + k]! - 0.5);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    labels[r] = best;
    oneHot[r * CLASSES + best] = 1;
  }
  return { xData, labels, oneHot };
}
