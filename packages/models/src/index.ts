export {
  constant,
  normal,
  uniform,
  zeros,
} from './initializers/basic-initializers.js';
export { initializeLayout } from './initializers/initialize-layout.js';
export type { Fans, Initializer } from './initializers/initializer.js';
export {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
} from './initializers/variance-scaling.js';
export type { ComputeOptions } from './kernels/choose-kernels.js';
export { defaultFloat32Kernels } from './kernels/choose-kernels.js';
export { denseForward, denseWeightGradient, logisticRows } from './kernels/dense.js';
export { biasGradient, denseInputGradient } from './kernels/dense-hidden.js';
export { allocateKernelFloat32Array, inKernelMemory } from './kernels/kernel-memory.js';
export { wasmKernelsAvailable } from './kernels/wasm-kernel-module.js';
export { wasmSimdKernelSet } from './kernels/wasm-simd-kernel-set.js';
export type { GridAxis, LossGrid, LossGridOptions } from './landscapes/loss-grid.js';
export { lossGrid } from './landscapes/loss-grid.js';
export type {
  RandomDirectionSlice,
  RandomDirectionSliceOptions,
} from './landscapes/random-direction-slice.js';
export { randomDirectionSlice } from './landscapes/random-direction-slice.js';
export { binaryCrossEntropyFromLogits, sigmoid, softplus } from './losses/binary-cross-entropy.js';
export { hingeLoss } from './losses/hinge.js';
export { huberLoss } from './losses/huber.js';
export type { Loss } from './losses/loss.js';
export { meanAbsoluteError } from './losses/mean-absolute-error.js';
export { halfMeanSquaredError, meanSquaredError } from './losses/mean-squared-error.js';
export type { Penalty } from './losses/penalty.js';
export { l1Penalty, l2Penalty } from './losses/penalty.js';
export { softmaxCrossEntropy } from './losses/softmax-cross-entropy.js';
export { accuracy } from './metrics/accuracy.js';
export { rootMeanSquaredError, rSquared } from './metrics/regression-metrics.js';
export type { ActivationName } from './models/activation.js';
export type { LinearRegressionOptions } from './models/linear-regression.js';
export { linearRegression } from './models/linear-regression.js';
export type { LogisticRegressionOptions } from './models/logistic-regression.js';
export { logisticRegression } from './models/logistic-regression.js';
export type { MlpOptions } from './models/mlp.js';
export { mlp } from './models/mlp.js';
export type { InitializeOptions, Model, ParameterBlock } from './models/model.js';
export type { PolynomialRegressionOptions } from './models/polynomial-regression.js';
export { polynomialRegression } from './models/polynomial-regression.js';
export type { SoftmaxRegressionOptions } from './models/softmax-regression.js';
export { softmaxRegression } from './models/softmax-regression.js';
export type { CheckGradientOptions, GradientCheck } from './objectives/check-gradient.js';
export { checkGradient } from './objectives/check-gradient.js';
export type {
  CustomObjectiveOptions,
  FiniteDifferenceObjectiveOptions,
} from './objectives/custom-objective.js';
export { customObjective, finiteDifferenceObjective } from './objectives/custom-objective.js';
export type { BowlOptions } from './test-functions/classic-functions.js';
export { beale, booth, bowl, himmelblau, rosenbrock } from './test-functions/classic-functions.js';
export type {
  KnownPoint,
  TestFunction,
  TestFunctionDefinition,
} from './test-functions/define-test-function.js';
export { defineTestFunction } from './test-functions/define-test-function.js';
export { doubleWell } from './test-functions/double-well.js';
export { ackley, rastrigin, sixHumpCamel } from './test-functions/multimodal-functions.js';
export { monkeySaddle, saddle } from './test-functions/saddle-functions.js';
