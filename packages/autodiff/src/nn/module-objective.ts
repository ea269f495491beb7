import { type Batch, createRng, type Matrix, type Rng, type Vector } from '@downhill/core';
import {
  type AutodiffObjective,
  autodiffObjective,
  type ObjectiveParameter,
} from '../params/autodiff-objective.js';
import type { Params } from '../params/value-and-grad.js';
import { fromMatrix, Tensor } from '../tensor.js';
import type { ForwardContext, Module } from './module.js';

/** Options of {@link moduleObjective}. */
export interface ModuleObjectiveOptions {
  readonly model: Module;
  /** The mean loss of the model's outputs against the batch's targets (`y` as a [rows, cols] tensor), e.g. `softmaxCrossEntropyLoss`. */
  readonly loss: (outputs: Tensor, targets: Tensor) => Tensor;
  /** For the run's `start` event (default 'module'). */
  readonly name?: string;
  /**
   * Seeds the RNG of training forward passes (dropout). One stream per objective: it is not part
   * of a checkpoint, so a resumed run draws new masks.
   */
  readonly seed?: number;
}

/** A module trained as an objective; `predict` runs it in evaluation mode. */
export interface ModuleObjective extends AutodiffObjective<Batch> {
  readonly model: Module;
  predict(params: ArrayLike<number>, x: Matrix): Tensor;
}

/** A module and a loss as core's `Objective` over a batch of (x, y) rows, parameters named as the module names them. */
export function moduleObjective(options: ModuleObjectiveOptions): ModuleObjective {
  const { model, loss } = options;
  const parameters: Record<string, ObjectiveParameter> = {};
  for (const p of model.parameters) {
    if (parameters[p.name] !== undefined)
      throw new RangeError(`moduleObjective: parameter name ${p.name} is used twice`);
    parameters[p.name] = { shape: p.shape, kind: p.kind, init: p.init };
  }
  const lookup = (params: Params) => (name: string) => {
    const t = params[name];
    if (t === undefined)
      throw new RangeError(`moduleObjective: the model asked for an unknown parameter ${name}`);
    return t;
  };
  const training: ForwardContext = { training: true, rng: createRng(options.seed ?? 0) };
  const evaluation: ForwardContext = { training: false };
  const objective = autodiffObjective<Batch>({
    name: options.name ?? 'module',
    parameters,
    loss: (params, batch) =>
      loss(model.forward(lookup(params), fromMatrix(batch.x), training), fromMatrix(batch.y)),
  });
  return {
    ...objective,
    model,
    initialize: (rng: Rng) => objective.initialize(rng),
    loss: (params: Vector, batch: Batch, grad?: Vector) => objective.loss(params, batch, grad),
    predict(params, x) {
      const out = model.forward(lookup(objective.unflatten(params)), fromMatrix(x), evaluation);
      if (!(out instanceof Tensor))
        throw new TypeError(`moduleObjective: forward returned ${typeof out}, not a tensor`);
      return out;
    },
    describe: () => ({ ...objective.describe(), model: model.describe() }),
  };
}
