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

/** Looks a module's own parameter up by its relative name. */
export type ParameterLookup = (name: string) => Tensor;

/** What a forward pass may depend on beyond its input: training or evaluation, and the run's RNG (dropout). */
export interface ForwardContext {
  readonly training: boolean;
  readonly rng?: Rng;
}

/**
 * A layer or a composition of layers, PyTorch's `nn.Module` shape: it declares its parameters
 * (names, shapes, initializers) and computes its output from a lookup of their tensors. It holds
 * no parameter values: those live in the run's one flat vector.
 */
export interface Module {
  readonly parameters: readonly ModuleParameter[];
  forward(params: ParameterLookup, x: Tensor, context: ForwardContext): Tensor;
  describe(): Description;
}
