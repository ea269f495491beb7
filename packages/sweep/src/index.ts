export type { AshaOptions, AshaRung, AshaState } from './asha.js';
export { asha, ashaRungs } from './asha.js';
export { categorical } from './categorical.js';
export type { Condition, SpaceParam } from './check-space.js';
export { checkSpace, isActive } from './check-space.js';
export type { ConditionalOptions } from './conditional.js';
export { conditional } from './conditional.js';
export type {
  CategoricalDomain,
  ConditionalDomain,
  Config,
  Domain,
  FixedDomain,
  IntegerDomain,
  LeafDomain,
  LogUniformDomain,
  ParamValue,
  SearchSpace,
  UniformDomain,
} from './domain.js';
export type { BudgetReport, EarlyTermination, TerminationDecision } from './early-termination.js';
export { fixed } from './fixed.js';
export type { GridSamplerOptions } from './grid-sampler.js';
export { gridPoints, gridSampler } from './grid-sampler.js';
export type { IntegerOptions } from './integer.js';
export { integer } from './integer.js';
export { logUniform } from './log-uniform.js';
export { metricOf } from './metric-of.js';
export type {
  CategoricalParzenOptions,
  NumericalParzenOptions,
  ParzenEstimator,
} from './parzen-estimator.js';
export { categoricalParzen, numericalParzen, tpeWeights } from './parzen-estimator.js';
export type { PbtControl, PbtOptions } from './pbt.js';
export { PBT_STREAM, pbt, pbtQuantiles } from './pbt.js';
export type { ExploreOptions } from './pbt-explore.js';
export { explore } from './pbt-explore.js';
export type { RandomSamplerOptions } from './random-sampler.js';
export { randomSampler } from './random-sampler.js';
export { samplePrior } from './sample-prior.js';
export type { Observation, Sampler, SuggestInput } from './sampler.js';
export type { NumericalDomain, SearchScale } from './search-scale.js';
export { searchScale } from './search-scale.js';
export type { SweepOptions, TrialControl } from './sweep.js';
export { sweep } from './sweep.js';
export type { SweepEndReason, SweepEvent, SweepEventType, TrialResult } from './sweep-event.js';
export type { TpeSamplerOptions } from './tpe-sampler.js';
export { defaultGamma, splitObservations, tpeSampler } from './tpe-sampler.js';
export { SAMPLER_STREAM, TRIAL_STREAM, trialSeed } from './trial-seed.js';
export type { RangeOptions } from './uniform.js';
export { uniform } from './uniform.js';
