export { type AccumulateState, accumulateGradients } from './accumulate-gradients.js';
export { type AdabeliefOptions, adabelief } from './adabelief.js';
export { type AdadeltaOptimizerOptions, adadelta } from './adadelta.js';
export { type AdafactorOptions, adafactor } from './adafactor.js';
export { type AdagradOptimizerOptions, adagrad } from './adagrad.js';
export { type AdamOptions, adam } from './adam.js';
export { type AdamaxOptimizerOptions, adamax } from './adamax.js';
export { adamw } from './adamw.js';
export { addDecayedWeights } from './add-decayed-weights.js';
export {
  addGradientNoise,
  type GradientNoiseOptions,
  type GradientNoiseState,
} from './add-gradient-noise.js';
export { addWeightDecay } from './add-weight-decay.js';
export { amsgrad } from './amsgrad.js';
export { type AsgdOptions, asgd } from './asgd.js';
export { type AveragingOptimizer, type AveragingState, averagedParams } from './averaging-optimizer.js';
export { chain, named } from './chain.js';
export { clipByGlobalNorm } from './clip-by-global-norm.js';
export { clipByValue } from './clip-by-value.js';
export { resolveDecayRate, resolveHyperparameter } from './hyperparameter.js';
export { type LambOptions, lamb } from './lamb.js';
export { type LarsOptions, lars } from './lars.js';
export {
  type LbfgsOptions,
  type LbfgsResult,
  type LbfgsState,
  type LbfgsStopReason,
  lbfgs,
} from './lbfgs.js';
export {
  type LbfgsOptimizerOptions,
  type LbfgsOptimizerState,
  lbfgsOptimizer,
} from './lbfgs-optimizer.js';
export { type LionOptimizerOptions, lion } from './lion.js';
export { type LookaheadOptions, type LookaheadState, lookahead } from './lookahead.js';
export { maximize } from './maximize.js';
export { type MuonOptions, type MuonState, muon } from './muon.js';
export { type NadamOptimizerOptions, nadam } from './nadam.js';
export { type NewtonOptions, type NewtonResult, newton } from './newton.js';
export {
  type NewtonOptimizerOptions,
  type NewtonOptimizerState,
  newtonOptimizer,
} from './newton-optimizer.js';
export { type NewtonSchulzScratch, newtonSchulz, newtonSchulzScratch } from './orthogonalize.js';
export { type ParameterEmaOptions, parameterEma } from './parameter-ema.js';
export { type LayoutBlock, type LayoutSegment, layoutSegments } from './parameter-layout.js';
export type { PartitionOptions } from './partition.js';
export { partition } from './partition.js';
export { type ProdigyOptions, type ProdigyState, prodigy } from './prodigy.js';
export { type RadamOptimizerOptions, radam } from './radam.js';
export { type RmspropOptions, rmsprop } from './rmsprop.js';
export { type RpropOptimizerOptions, rprop } from './rprop.js';
export { type SamOptions, type SamState, sam } from './sam.js';
export { type AdadeltaOptions, type AdadeltaState, scaleByAdadelta } from './scale-by-adadelta.js';
export { type AdagradOptions, type AdagradState, scaleByAdagrad } from './scale-by-adagrad.js';
export { type AdamMomentsOptions, type AdamMomentsState, scaleByAdam } from './scale-by-adam.js';
export { type AdamaxOptions, type AdamaxState, scaleByAdamax } from './scale-by-adamax.js';
export { type AsgdState, type AsgdStepOptions, scaleByAsgd } from './scale-by-asgd.js';
export { type BeliefOptions, type BeliefState, scaleByBelief } from './scale-by-belief.js';
export {
  type FactoredRmsOptions,
  type FactoredRmsState,
  scaleByFactoredRms,
} from './scale-by-factored-rms.js';
export { scaleByLearningRate } from './scale-by-learning-rate.js';
export { type LionOptions, type LionState, scaleByLion } from './scale-by-lion.js';
export { type NadamOptions, type NadamState, scaleByNadam } from './scale-by-nadam.js';
export { type RadamOptions, type RadamState, scaleByRadam } from './scale-by-radam.js';
export {
  type RelativeStepSizeOptions,
  type RelativeStepSizeState,
  scaleByRelativeStepSize,
} from './scale-by-relative-step-size.js';
export { type RmsOptions, type RmsState, scaleByRms } from './scale-by-rms.js';
export { type RpropOptions, type RpropState, scaleByRprop } from './scale-by-rprop.js';
export { scaleByTrustRatio, type TrustRatioOptions } from './scale-by-trust-ratio.js';
export { scaleByYogi, type YogiOptions, type YogiState } from './scale-by-yogi.js';
export {
  type ScheduleFreeOptions,
  type ScheduleFreeState,
  scheduleFreeAdamw,
  scheduleFreeSgd,
} from './schedule-free.js';
export { type SgdOptions, sgd } from './sgd.js';
export { type SkipNonFiniteState, skipNonFinite } from './skip-non-finite.js';
export { type SwaOptions, stochasticWeightAveraging } from './stochastic-weight-averaging.js';
export {
  cubicInterpolate,
  type LineSearchBuffers,
  type LineSearchResult,
  lineSearchBuffers,
  strongWolfe,
} from './strong-wolfe.js';
export { type TraceOptions, type TraceState, trace } from './trace.js';
export { type YogiOptimizerOptions, yogi } from './yogi.js';
