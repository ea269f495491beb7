export { gelu, leakyRelu, relu, sigmoid, softplus, tanh } from './activations.js';
export type { DenseOptions } from './dense.js';
export { dense } from './dense.js';
export type { BatchNormLayerOptions, Conv2dLayerOptions } from './layers.js';
export { avgPool, batchNorm, conv2d, dropout, flatten, layerNorm, maxPool } from './layers.js';
export type {
  BufferLookup,
  ForwardContext,
  Module,
  ModuleBuffer,
  ModuleParameter,
  ParameterLookup,
} from './module.js';
export type { ModuleObjective, ModuleObjectiveOptions } from './module-objective.js';
export { moduleObjective } from './module-objective.js';
export { sequential } from './sequential.js';
