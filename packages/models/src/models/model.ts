import type { Batch, Description, Matrix, Objective, Rng, Vector } from '@downhill/core';
import type { Initializer } from '../initializers/initializer.js';

/** Where one weight matrix or bias vector sits in the flat parameter vector. */
export interface ParameterBlock {
  readonly name: string;
  readonly kind: 'weight' | 'bias';
  readonly offset: number;
  /** Weights: rows = output units (one "filter" per row), cols = inputs. Biases: rows = 1. */
  readonly rows: number;
  readonly cols: number;
}

/** How {@link Model.initialize} fills weights and biases. */
export interface InitializeOptions {
  /** Default depends on the model: zeros for convex linear models, He or Glorot for MLPs. */
  readonly weights?: Initializer;
  /** Default zeros. */
  readonly biases?: Initializer;
}

/**
 * A model as an objective over one flat parameter vector: `loss` is the mean loss of a batch (plus
 * penalties) with the analytic gradient fused into the same pass; `predict` maps inputs to outputs
 * (probabilities for classifiers); `metrics` reports the loss and accuracy or RMSE and R^2.
 */
export interface Model extends Objective<Batch> {
  readonly dimension: number;
  readonly inputs: number;
  readonly outputs: number;
  readonly layout: readonly ParameterBlock[];
  loss(params: Vector, batch: Batch, grad?: Vector): number;
  /** rows x outputs, row-major; written into `out` when given (it must hold rows * outputs values). */
  predict(params: Vector, x: Matrix, out?: Float64Array): Float64Array;
  metrics(params: Vector, batch: Batch): Record<string, number>;
  /** New parameters filled by the initializers, block by block. */
  initialize(rng: Rng, options?: InitializeOptions): Float64Array;
  describe(): Description;
}

/** Validates the parameter, gradient and batch shapes a model is called with. */
export function checkCall(
  name: string,
  dimension: number,
  inputs: number,
  params: Vector,
  x: Matrix,
  grad?: Vector,
): void {
  if (params.length !== dimension) {
    throw new RangeError(
      `${name}: params has length ${params.length}, the model has ${dimension} parameters`,
    );
  }
  if (grad !== undefined && grad.length !== dimension) {
    throw new RangeError(`${name}: grad has length ${grad.length}, the model has ${dimension} parameters`);
  }
  if (x.cols !== inputs)
    throw new RangeError(`${name}: batch x has ${x.cols} columns, the model takes ${inputs} inputs`);
}

export function checkTargets(name: string, x: Matrix, y: Matrix): void {
  if (y.rows !== x.rows) throw new RangeError(`${name}: batch y has ${y.rows} rows, x has ${x.rows}`);
}

export function checkPositiveInteger(name: string, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name}: ${field} must be an integer >= 1, got ${value}`);
  }
}
