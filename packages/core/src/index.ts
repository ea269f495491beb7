export type { RunCommand } from './commands.js';
export { emaSmooth } from './ema-smooth.js';
export type {
  EndEvent,
  EndReason,
  EpochEvent,
  HyperparamEvent,
  RunConfig,
  StartEvent,
  StatusEvent,
  StepEvent,
  TrainEvent,
  TrainEventType,
  WarningEvent,
} from './events.js';
export { allFinite, axpy, dot, norm1, norm2, normInf, scale, sumOfSquares } from './kernels/blas1.js';
export type { GemmOptions } from './kernels/gemm.js';
export { gemm, gemv, gemvT } from './kernels/gemm.js';
export { jsKernelSet } from './kernels/js-kernel-set.js';
export type { KernelMemory, WasmMemory } from './kernels/kernel-memory.js';
export {
  allocateKernelFloat32Array,
  inKernelMemory,
  KERNEL_SCRATCH_BYTES,
  kernelMemoryOf,
} from './kernels/kernel-memory.js';
export type { GemmCall, KernelArena, KernelArray, KernelDType, KernelSet } from './kernels/kernel-set.js';
export { checkGemmCall, gemmCall } from './kernels/kernel-set.js';
export type { Loader } from './loader.js';
export type { Batch, Description, Objective } from './objective.js';
export type { EarlyStoppingOptions } from './operators/early-stopping.js';
export { earlyStopping } from './operators/early-stopping.js';
export { sampleSteps } from './operators/sample-steps.js';
export type { SmoothedStepEvent } from './operators/smooth-loss.js';
export { smoothLoss } from './operators/smooth-loss.js';
export type { StopOnConvergenceOptions } from './operators/stop-on-convergence.js';
export { stopOnConvergence } from './operators/stop-on-convergence.js';
export type { GradientTransformation, HyperparameterSlots, Optimizer, UpdateContext } from './optimizer.js';
export { withFusedStep } from './optimizer.js';
export type { Rng, RngState } from './rng.js';
export { createRng, deriveSeed, restoreRng } from './rng.js';
export type { RunController } from './run-controller.js';
export { runControllerOf } from './run-controller.js';
export type {
  CheckpointInfo,
  CheckpointOptions,
  CheckpointTrigger,
  RunState,
} from './run-state.js';
export { checkStateShape, RUN_STATE_FORMAT } from './run-state.js';
export type { Schedule, ScheduleLike } from './schedule.js';
export { valueAt } from './schedule.js';
export type { Plain } from './serialize.js';
export { deserializeState, serializeState } from './serialize.js';
export type { FeedbackController, TrainSpec } from './spec.js';
export { train } from './train.js';
export type { Matrix, MatrixData, Vector } from './vector.js';
export { matrix } from './vector.js';
export { scheduleMacrotask } from './yield-macrotask.js';
