import type { Description, Objective, Vector } from '@downhill/core';

export interface CustomObjectiveOptions<TBatch> {
  readonly dimension: number;
  /**
   * Mean loss of the batch at params; when `grad` is given, overwrite it with the gradient in the
   * same pass (the {@link Objective} contract: no allocation per call).
   */
  readonly loss: (params: Vector, batch: TBatch, grad?: Vector) => number;
  readonly name?: string;
}

function checkDimension(where: string, dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new RangeError(`${where}: dimension must be an integer >= 1, got ${dimension}`);
  }
}

/** Wraps a user-supplied loss with its own analytic gradient as an {@link Objective}. */
export function customObjective<TBatch = void>(options: CustomObjectiveOptions<TBatch>): Objective<TBatch> {
  checkDimension('customObjective', options.dimension);
  const name = options.name ?? 'custom';
  const { dimension, loss } = options;
  return {
    dimension,
    loss(params, batch, grad) {
      if (params.length !== dimension) {
        throw new RangeError(`${name}: params has length ${params.length}, expected ${dimension}`);
      }
      return loss(params, batch, grad);
    },
    describe: (): Description => ({ name, dimension, gradient: 'analytic' }),
  };
}

export interface FiniteDifferenceObjectiveOptions<TBatch> {
  readonly dimension: number;
  /** Mean loss of the batch at params (no gradient). */
  readonly loss: (params: Vector, batch: TBatch) => number;
  /** Relative step h = epsilon * max(1, |x_i|). Default 1e-6. */
  readonly epsilon?: number;
  readonly name?: string;
}

/**
 * An {@link Objective} from a loss alone: the gradient is estimated by central differences,
 * g_i = (f(x + h e_i) - f(x - h e_i)) / (2 h).
 *
 * SLOW: every gradient costs 2 * dimension + 1 loss evaluations (an analytic gradient costs about
 * one), and it is only accurate to O(h^2) plus rounding. Fine for a handful of parameters, a
 * prototype or a check; write the gradient for anything bigger. The parameter vector is perturbed
 * in place one coordinate at a time and restored exactly, so `loss` must not keep it.
 */
export function finiteDifferenceObjective<TBatch = void>(
  options: FiniteDifferenceObjectiveOptions<TBatch>,
): Objective<TBatch> {
  checkDimension('finiteDifferenceObjective', options.dimension);
  const { dimension, loss } = options;
  const epsilon = options.epsilon ?? 1e-6;
  if (!(epsilon > 0)) throw new RangeError(`finiteDifferenceObjective: epsilon must be > 0, got ${epsilon}`);
  const name = options.name ?? 'finite-difference';
  return {
    dimension,
    loss(params, batch, grad) {
      if (params.length !== dimension) {
        throw new RangeError(`${name}: params has length ${params.length}, expected ${dimension}`);
      }
      const value = loss(params, batch);
      if (grad === undefined) return value;
      for (let i = 0; i < dimension; i++) {
        const original = params[i]!;
        const h = epsilon * Math.max(1, Math.abs(original));
        params[i] = original + h;
        const up = loss(params, batch);
        params[i] = original - h;
        const down = loss(params, batch);
        params[i] = original;
        grad[i] = (up - down) / (original + h - (original - h));
      }
      return value;
    },
    describe: (): Description => ({ name, dimension, gradient: 'central-differences', epsilon }),
  };
}
