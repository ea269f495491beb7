import type { Description, Matrix } from '@downhill/core';

/**
 * A loss over a batch of predictions, with its gradient fused into the same pass.
 *
 * `predictions` holds `targets.rows` rows of `outputs` values (row-major; it may be longer, the
 * rest is ignored). The result is the MEAN loss (over all elements for element-wise losses, over
 * rows for {@link softmaxCrossEntropy}). When `gradient` is given it is overwritten with
 * d(mean loss)/d(prediction) for the same elements, so a model only has to backpropagate it.
 * No allocation per call.
 */
export interface Loss {
  readonly name: string;
  evaluate(predictions: Float64Array, outputs: number, targets: Matrix, gradient?: Float64Array): number;
  describe(): Description;
}

/** Checks that predictions and targets agree in shape for an element-wise loss. */
export function checkElementwise(
  name: string,
  predictions: Float64Array,
  outputs: number,
  targets: Matrix,
): number {
  if (targets.cols !== outputs) {
    throw new RangeError(`${name}: targets have ${targets.cols} columns, the model has ${outputs} outputs`);
  }
  const count = targets.rows * outputs;
  if (predictions.length < count) {
    throw new RangeError(`${name}: predictions hold ${predictions.length} values, need ${count}`);
  }
  return count;
}
