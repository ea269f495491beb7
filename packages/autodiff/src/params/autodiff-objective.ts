import type { Description, KernelSet, Objective, Rng, Vector } from '@downhill/core';
import { backward } from '../backward.js';
import { withKernels } from '../ops/default-kernels.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { compiledLoss, type LossOfBatch } from './compiled-step.js';
import { fansOf, glorotUniformInit, type Initializer, zerosInit } from './initializers.js';
import { describeLayout, type ParameterSpec, parameterLayout, type TensorBlock } from './parameter-layout.js';
import type { Params } from './value-and-grad.js';

/** A parameter of an {@link autodiffObjective}: its shape, kind and initializer. */
export interface ObjectiveParameter extends ParameterSpec {
  /** Default: Glorot uniform for weights, zeros for biases. */
  readonly init?: Initializer;
}

/** Options of {@link autodiffObjective}. */
export interface AutodiffObjectiveOptions<TBatch> {
  /** Named parameters in layout order. */
  readonly parameters: Readonly<Record<string, ObjectiveParameter>>;
  /**
   * Mean loss of a batch as a one-element tensor, written with this package's operations. `mode`
   * is 'train' when the caller asked for a gradient (a training step) and 'evaluate' when it did
   * not (a validation loss), for models that behave differently (dropout, batch norm).
   */
  readonly loss: (params: Params, batch: TBatch, mode: 'train' | 'evaluate') => Tensor;
  /** For the run's `start` event (default 'autodiff'). */
  readonly name?: string;
  /**
   * Trace the loss on its first call for each batch shape and mode and replay that plan on later
   * calls (preallocated buffers, no tape, no allocation per step; the same numbers as eager mode).
   * Needs batches of `{ x, y }` matrices and a loss written with this package's operations.
   * Default false: every call builds the tape (define-by-run, easiest to debug).
   */
  readonly compile?: boolean;
  /**
   * The kernel set of the operations that take one (`matmul`, `relu`) when they are not given
   * their own: e.g. a faster float64 set. Default core's JavaScript set of each element type.
   */
  readonly kernels?: KernelSet;
}

/** An objective over one flat parameter vector whose gradient comes from the tape. */
export interface AutodiffObjective<TBatch> extends Objective<TBatch> {
  readonly layout: readonly TensorBlock[];
  /** The named parameter tensors over `params` (views of a Float64Array; other arrays are copied first). */
  unflatten(params: ArrayLike<number>): Record<string, Tensor>;
  /** New parameters filled block by block from the run's RNG. */
  initialize(rng: Rng): Float64Array;
  describe(): Description;
}

/**
 * Turns a loss written with tensors into core's `Objective` for `train()`: the parameters stay
 * one flat Float64Array, each named parameter a view of its block, and the gradient flows into
 * views of the caller's `grad` buffer, so optimizers, checkpoints, the server and the dashboard
 * see an ordinary objective.
 */
export function autodiffObjective<TBatch>(
  options: AutodiffObjectiveOptions<TBatch>,
): AutodiffObjective<TBatch> {
  const name = options.name ?? 'autodiff';
  const { layout, dimension } = parameterLayout(options.parameters);
  const compiled = options.compile
    ? compiledLoss({
        name,
        layout,
        dimension,
        loss: options.loss as unknown as LossOfBatch,
        ...(options.kernels !== undefined && { kernels: options.kernels }),
      })
    : undefined;
  const views = (params: Vector, requiresGrad: boolean): Record<string, Tensor> => {
    if (params.length !== dimension)
      throw new RangeError(
        `${name}: params has length ${params.length}, the objective has ${dimension} parameters`,
      );
    const out: Record<string, Tensor> = {};
    for (const b of layout)
      out[b.name] = new Tensor(params.subarray(b.offset, b.offset + b.size), b.shape, { requiresGrad });
    return out;
  };
  return {
    dimension,
    layout,
    unflatten: (params) => views(params instanceof Float64Array ? params : Float64Array.from(params), false),
    loss(params: Vector, batch: TBatch, grad?: Vector): number {
      if (compiled !== undefined) {
        if (params.length !== dimension)
          throw new RangeError(
            `${name}: params has length ${params.length}, the objective has ${dimension} parameters`,
          );
        if (grad !== undefined && grad.length !== dimension)
          throw new RangeError(
            `${name}: grad has length ${grad.length}, the objective has ${dimension} parameters`,
          );
        return compiled(params, batch, grad);
      }
      const leaves = views(params, grad !== undefined);
      if (grad !== undefined) {
        if (grad.length !== dimension)
          throw new RangeError(
            `${name}: grad has length ${grad.length}, the objective has ${dimension} parameters`,
          );
        grad.fill(0);
        for (const b of layout) leaves[b.name]!.grad = grad.subarray(b.offset, b.offset + b.size);
      }
      const out = withKernels(options.kernels, () =>
        options.loss(leaves, batch, grad === undefined ? 'evaluate' : 'train'),
      );
      if (!(out instanceof Tensor) || out.size !== 1) {
        throw new RangeError(
          `${name}: loss must return a one-element tensor, got ${out instanceof Tensor ? `shape ${formatShape(out.shape)}` : typeof out}`,
        );
      }
      if (grad !== undefined) backward(out);
      return out.data[0]!;
    },
    initialize(rng: Rng): Float64Array {
      const params = new Float64Array(dimension);
      for (const b of layout) {
        const spec = options.parameters[b.name]!;
        const init = spec.init ?? (b.kind === 'bias' ? zerosInit : glorotUniformInit);
        init(rng, params.subarray(b.offset, b.offset + b.size), fansOf(b.shape));
      }
      return params;
    },
    describe: () => ({
      name,
      parameters: dimension,
      layout: describeLayout(layout),
      ...(compiled !== undefined && { compiled: true }),
    }),
  };
}
