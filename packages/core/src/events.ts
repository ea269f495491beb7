import type { Description } from './objective.js';

/** Why a run ended. */
export type EndReason = 'completed' | 'converged' | 'early-stopped' | 'stopped' | 'diverged' | 'error';

interface EventBase {
  readonly runId: string;
  /** Per-run sequence number: 0 for `start`, then +1 for every event, without gaps. */
  readonly seq: number;
  /** Milliseconds since the run started (wall clock; the only field that differs between identical runs). */
  readonly time: number;
}

/** The run's resolved configuration, as plain serializable data. */
export interface RunConfig {
  readonly model: Description | undefined;
  readonly optimizer: Description;
  readonly data: Description | undefined;
  readonly batchSize: number | undefined;
  readonly samples: number | undefined;
  readonly batchesPerEpoch: number | undefined;
  readonly parameterCount: number;
  readonly seed: number;
  readonly epochs: number | undefined;
  readonly steps: number | undefined;
  readonly validationSamples: number | undefined;
  /** Hyperparameters the control path may set while the run is live (the optimizer's `settable`). */
  readonly settable?: readonly string[];
  /** Anything else the caller put in `spec.config` (name, tags, the schedule's description ...). */
  readonly extra: Readonly<Record<string, unknown>>;
}

export interface StartEvent extends EventBase {
  readonly type: 'start';
  readonly config: RunConfig;
  /** The initial parameters (a copy). */
  readonly params: number[];
  /**
   * Step the run starts at: 0, or the step a resumed run continues from. A run restored from a
   * checkpoint (`spec.restore`) sends its start event again with seq 0, then continues at the
   * checkpoint's seq.
   */
  readonly step: number;
}

export interface StepEvent extends EventBase {
  readonly type: 'step';
  /** Updates applied before this one: 0 for the first step. */
  readonly step: number;
  readonly epoch: number;
  /** Index of the batch within its epoch. */
  readonly batch: number;
  /** Mean loss of the batch at the parameters before this step's update. */
  readonly loss: number;
  /** L2 norm of the raw gradient. */
  readonly gradNorm: number;
  /** Learning rate used by this step's update (NaN when the optimizer has none). */
  readonly learningRate: number;
  /** Every live hyperparameter value used by this step (learningRate, momentum, ...). */
  readonly hyperparams: Readonly<Record<string, number>>;
  /**
   * Objective evaluations (each with its gradient) this step took, its own gradient included,
   * when the optimizer evaluated again through `UpdateContext.evaluate` (SAM: 2). Absent for
   * the usual one.
   */
  readonly evaluations?: number;
  /** Parameters after this step's update (a copy), only when `spec.recordParams` asks for them. */
  readonly params?: number[];
}

export interface EpochEvent extends EventBase {
  readonly type: 'epoch';
  readonly epoch: number;
  /** Steps completed so far. */
  readonly step: number;
  /** Mean of the epoch's batch losses (weighted by batch size). */
  readonly loss: number;
  readonly validationLoss?: number;
  readonly metrics?: Readonly<Record<string, number>>;
}

/** A hyperparameter changed through the control path. */
export interface HyperparamEvent extends EventBase {
  readonly type: 'hyperparam';
  /** The first step that uses the new value. */
  readonly step: number;
  readonly name: string;
  readonly value: number;
  readonly previous: number | undefined;
  readonly source: string;
}

/** The run was paused or resumed through the control path. */
export interface StatusEvent extends EventBase {
  readonly type: 'status';
  readonly status: 'paused' | 'running';
  readonly step: number;
  readonly source: string;
}

/** A command that could not be applied (the run goes on). */
export interface WarningEvent extends EventBase {
  readonly type: 'warning';
  readonly message: string;
}

export interface EndEvent extends EventBase {
  readonly type: 'end';
  readonly reason: EndReason;
  /** Updates applied in total. */
  readonly step: number;
  readonly epoch: number;
  /** Final parameters: the last finite ones for `diverged`, the restored best ones when an operator asked for it. */
  readonly params: number[];
  readonly bestParams?: number[];
  readonly bestLoss?: number;
  /** Loss at the final step (NaN when no step ran). */
  readonly loss: number;
  readonly error?: string;
  /** Serialized optimizer state, when `spec.returnState` asks for it (see `serializeState`). */
  readonly optimizerState?: unknown;
  /** Who ended the run (`user`, `stopOnConvergence`, `earlyStopping`, `server` ...). */
  readonly source?: string;
}

export type TrainEvent =
  | StartEvent
  | StepEvent
  | EpochEvent
  | HyperparamEvent
  | StatusEvent
  | WarningEvent
  | EndEvent;

export type TrainEventType = TrainEvent['type'];
