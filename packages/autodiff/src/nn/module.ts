import type { Description, Rng } from '@downhill/core';
import type { Initializer } from '../params/initializers.js';
import type { ParameterKind } from '../params/parameter-layout.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** A parameter a module owns, named relative to the module ('weight', 'bias'). */
export interface ModuleParameter {
  readonly name: string;
  readonly shape: Shape;
  readonly kind: ParameterKind;
  readonly init: Initializer;
}

/**
 * A value a module keeps between steps that is not trained by the optimizer (PyTorch's
 * "buffers", e.g. batch norm's running statistics): module state, saved with checkpoints.
 */
export interface ModuleBuffer {
  readonly name: string;
  readonly shape: Shape;
  /** Fills the buffer's starting value (running variance: ones). */
  readonly init: (target: Float64Array) => void;
}

/** Looks a module's own parameter up by its relative name. */
export type ParameterLookup = (name: string) => Tensor;

/** Looks a module's own buffer up by its relative name: the live storage, updated in place. */
export type BufferLookup = (name: string) => Float64Array;

/**
 * What a forward pass may depend on beyond its input: training or evaluation, the run's RNG
 * (dropout) and the module state (buffers).
 */
export interface ForwardContext {
  readonly training: boolean;
  readonly rng?: Rng;
  readonly buffers?: BufferLookup;
}

/**
 * A layer or a composition of layers, PyTorch's `nn.Module` shape: it declares its parameters
 * (names, shapes, initializers) and computes its output from a lookup of their tensors. It holds
 * no parameter values: those live in the run's one flat vector.
 */
export interface Module {
  readonly parameters: readonly ModuleParameter[];
  /** State that is not a parameter, named like parameters (`layers.1.running_mean`); default none. */
  readonly buffers?: readonly ModuleBuffer[];
  forward(params: ParameterLookup, x: Tensor, context: ForwardContext): Tensor;
  describe(): Description;
}
