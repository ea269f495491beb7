export { gelu, leakyRelu, relu, sigmoid, softplus, tanh } from './activations.js';
export type { DenseOptions } from './dense.js';
export { dense } from './dense.js';
export type { Conv2dLayerOptions } from './layers.js';
export { avgPool, conv2d, dropout, flatten, layerNorm, maxPool } from './layers.js';
export type { ForwardContext, Module, ModuleParameter, ParameterLookup } from './module.js';
export type { ModuleObjective, ModuleObjectiveOptions } from './module-objective.js';
export { moduleObjective } from './module-objective.js';
export { sequential } from './sequential.js';
