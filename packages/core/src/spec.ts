import type { Observable } from 'rxjs';
import type { RunCommand } from './commands.js';
import type { TrainEvent } from './events.js';
import type { Loader } from './loader.js';
import type { Batch, Objective } from './objective.js';
import type { Optimizer } from './optimizer.js';
import type { Rng } from './rng.js';
import type { CheckpointOptions, RunState } from './run-state.js';
import type { Vector } from './vector.js';

/**
 * A feedback controller: reads the run's own events and answers with commands
 * (reduce on plateau, an LR range test ...). The run loop subscribes it for the run's lifetime.
 */
export type FeedbackController = (events: Observable<TrainEvent>) => Observable<RunCommand>;

/** Everything `train` needs. Only `objective`, `optimizer`, `params` and a length (`epochs` or `steps`) are required. */
export interface TrainSpec<TBatch = Batch> {
  readonly objective: Objective<TBatch>;
  // biome-ignore lint/suspicious/noExplicitAny: every optimizer state type is accepted here
  readonly optimizer: Optimizer<any>;
  /** Initial parameters (copied), or a function of the run's seeded RNG that makes them. */
  readonly params: ArrayLike<number> | ((rng: Rng) => ArrayLike<number>);
  /** Training batches. Without a loader the objective is called with `undefined` (test functions). */
  readonly loader?: Loader<TBatch>;
  /** Stop after this many epochs (needs a loader). */
  readonly epochs?: number;
  /** Stop after this many updates in total. */
  readonly steps?: number;
  /** Evaluated at the end of each epoch; its mean loss becomes `validationLoss`. In-memory loaders only. */
  readonly validation?: Loader<TBatch>;
  /** Extra metrics at the end of each epoch (accuracy, R^2 ...), from the current parameters. */
  readonly metrics?: (params: Vector) => Record<string, number>;
  /** Seeds the RNG handed to `params` when it is a function. Default 0. */
  readonly seed?: number;
  /** Default: a random UUID. Give one to make two runs' events fully identical. */
  readonly runId?: string;
  /** Extra plain data for the `start` event (a run name, the schedule's description ...). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Commands from outside: the server, the dashboard, the user. */
  readonly control?: Observable<RunCommand>;
  readonly controllers?: readonly FeedbackController[];
  /** Copy the parameters into `step` events: `true` for every step, `n` for every n-th step. */
  readonly recordParams?: boolean | number;
  /** `sliced` (default) yields to the event loop every `sliceMs`; `sync` runs to the end inside `subscribe`. */
  readonly mode?: 'sliced' | 'sync';
  /** Length of a time slice in milliseconds (default 8). */
  readonly sliceMs?: number;
  /** Continue a saved run: the step it reached and its optimizer state (see `deserializeState`). */
  readonly resume?: { readonly step: number; readonly optimizerState: unknown };
  /** Put the serialized optimizer state into the `end` event. */
  readonly returnState?: boolean;
  /**
   * Continue exactly from a checkpoint (see `checkpoint`): parameters, optimizer state, position in
   * the data, live overrides, controllers' state, RNG, `runId` and `seq` come from it (`params`,
   * `runId` and `resume` are then ignored). The rest of the spec must describe the same run.
   */
  readonly restore?: RunState;
  /** Periodic and best-by-metric checkpoints of the run's full state. */
  readonly checkpoint?: CheckpointOptions;
}
