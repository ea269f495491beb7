import type { Description } from './objective.js';
import type { Vector } from './vector.js';

/**
 * Live hyperparameters of a run. The run loop writes the values set through its control path into
 * `overrides`; transforms that own a hyperparameter read their override first (falling back to
 * their own value or schedule) and write the value they used into `current`, which the `step`
 * event reports. Both records are reused from step to step.
 */
export interface HyperparameterSlots {
  readonly overrides: Record<string, number>;
  readonly current: Record<string, number>;
}

/** What a transform may read besides the gradient. */
export interface UpdateContext extends HyperparameterSlots {
  /** Number of updates applied before this one (0 on the first update). */
  readonly step: number;
  /** Loss at the parameters the gradient was taken at (some transforms, such as noise or plateau logic, use it). */
  readonly loss: number;
  /**
   * Evaluates the objective again on this step's batch (PyTorch's `closure`), at `params`,
   * writing the gradient into `grad` and returning the loss: for transforms that need more than
   * one gradient a step (sharpness-aware minimisation, line searches). The run loop provides it
   * during `update` and counts each call in the step event's `evaluations`; it is absent where a
   * transform is driven by hand.
   */
  readonly evaluate?: (params: Vector, grad: Vector) => number;
}

/**
 * An Optax-style gradient transformation. `init` builds explicit, plain state (numbers, typed arrays
 * and nested plain objects: serializable for checkpoints and the wire). `update` rewrites `updates`
 * in place (a gradient in, an update out) and advances `state` in place; it must not allocate.
 */
export interface GradientTransformation<TState = unknown> {
  init(params: Vector): TState;
  update(updates: Vector, state: TState, params: Vector, context: UpdateContext): void;
  /**
   * Optional: `update` followed by `params += updates` in the same pass over memory, returning
   * false, with `params` as they were, when a new parameter is not finite (the state advances as
   * `update` would advance it; `updates` is scratch afterwards). The run loop uses it instead of
   * `update` plus its own apply pass when it is there. Attach it with {@link withFusedStep}: it is
   * non-enumerable, so a spread copy of a transform (which may override `update`) does not inherit
   * a fused step that would bypass the override.
   */
  fusedStep?(updates: Vector, state: TState, params: Vector, context: UpdateContext): boolean;
}

/**
 * Gives `transform` a fused step (see GradientTransformation.fusedStep) as a non-enumerable
 * property, and returns it.
 */
export function withFusedStep<T extends GradientTransformation<S>, S>(
  transform: T,
  fusedStep: (updates: Vector, state: S, params: Vector, context: UpdateContext) => boolean,
): T {
  Object.defineProperty(transform, 'fusedStep', { value: fusedStep, enumerable: false, configurable: true });
  return transform;
}

/**
 * A named chain of transforms whose final output is added to the parameters
 * (`params += updates`, as `optax.apply_updates`).
 */
export interface Optimizer<TState = unknown> extends GradientTransformation<TState> {
  readonly name: string;
  /** Hyperparameters the control path may set while a run is live (e.g. `learningRate`). */
  readonly settable: readonly string[];
  describe(): Description;
}
