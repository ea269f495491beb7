export { backward } from './backward.js';
export {
  bceWithLogitsLoss,
  hingeLoss,
  huberLoss,
  maeLoss,
  mseLoss,
  softmaxCrossEntropyLoss,
} from './losses/losses.js';
export * as nn from './nn/index.js';
export type { BatchNormOptions } from './ops/batch-norm.js';
export { batchNorm } from './ops/batch-norm.js';
export { add, div, maximum, minimum, mul, pow, sub } from './ops/binary.js';
export { cast } from './ops/cast.js';
export { concat } from './ops/concat.js';
export type { Conv2dOptions } from './ops/conv2d.js';
export { conv2d } from './ops/conv2d.js';
export { dropout } from './ops/dropout.js';
export { gather } from './ops/gather.js';
export type { LayerNormOptions } from './ops/layer-norm.js';
export { layerNorm } from './ops/layer-norm.js';
export type { MatmulOptions } from './ops/matmul.js';
export { matmul } from './ops/matmul.js';
export type { Pool2dOptions } from './ops/pool2d.js';
export { avgPool2d, maxPool2d } from './ops/pool2d.js';
export type { ReduceOptions } from './ops/reduce.js';
export { max, mean, sum } from './ops/reduce.js';
export { reshape } from './ops/reshape.js';
export type { TensorLike } from './ops/result.js';
export { slice } from './ops/slice.js';
export { logSoftmax, logsumexp, softmax } from './ops/softmax.js';
export { transpose } from './ops/transpose.js';
export {
  abs,
  clamp,
  exp,
  gelu,
  leakyRelu,
  log,
  log1p,
  neg,
  relu,
  sigmoid,
  softplus,
  sqrt,
  tanh,
} from './ops/unary.js';
export { where } from './ops/where.js';
export type {
  AutodiffObjective,
  AutodiffObjectiveOptions,
  ObjectiveParameter,
} from './params/autodiff-objective.js';
export { autodiffObjective } from './params/autodiff-objective.js';
export type { Initializer } from './params/initializers.js';
export {
  fansOf,
  glorotUniformInit,
  heNormalInit,
  torchDefaultInit,
  uniformInit,
  zerosInit,
} from './params/initializers.js';
export type { ParameterKind, ParameterSpec, TensorBlock } from './params/parameter-layout.js';
export { parameterLayout } from './params/parameter-layout.js';
export type { Params } from './params/value-and-grad.js';
export { valueAndGrad } from './params/value-and-grad.js';
export type { Shape } from './shape.js';
export { broadcastShapes } from './shape.js';
export type { BackwardFn, DType, ForwardFn, TensorData, TensorOptions } from './tensor.js';
export { fromMatrix, Tensor, tensor, zeros } from './tensor.js';
