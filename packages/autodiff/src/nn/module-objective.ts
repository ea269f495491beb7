import {
  type Batch,
  createRng,
  deriveSeed,
  type FeedbackController,
  type KernelSet,
  type Matrix,
  type Rng,
  type RngState,
  type RunCommand,
  restoreRng,
  runControllerOf,
  type Vector,
} from '@downhill/core';
import { Observable } from 'rxjs';
import { withKernels } from '../ops/default-kernels.js';
import {
  type AutodiffObjective,
  autodiffObjective,
  type ObjectiveParameter,
} from '../params/autodiff-objective.js';
import type { Params } from '../params/value-and-grad.js';
import { formatShape, sizeOf } from '../shape.js';
import { fromMatrix, Tensor } from '../tensor.js';
import type { ForwardContext, Module } from './module.js';

/** Options of {@link moduleObjective}. */
export interface ModuleObjectiveOptions {
  readonly model: Module;
  /** The mean loss of the model's outputs against the batch's targets (`y` as a [rows, cols] tensor), e.g. `softmaxCrossEntropyLoss`. */
  readonly loss: (outputs: Tensor, targets: Tensor) => Tensor;
  /** For the run's `start` event (default 'module'). */
  readonly name?: string;
  /**
   * Seeds the dropout RNG when the objective is used without its `stateController` (default 0).
   * With the controller, the dropout RNG is derived from the run's seed and kept in checkpoints.
   */
  readonly seed?: number;
  /** Replay a traced plan after the first step (see `autodiffObjective`'s `compile`); default false. */
  readonly compile?: boolean;
  /** The operations' default kernel set (see `autodiffObjective`'s `kernels`). */
  readonly kernels?: KernelSet;
}

/**
 * Module state as plain data: every buffer (`layers.1.running_mean` ...) and the dropout RNG's
 * state. What `stateController` keeps in a run's checkpoints.
 */
export interface ModuleState {
  readonly buffers: Readonly<Record<string, Float64Array>>;
  readonly rng: RngState;
}

/** A module trained as an objective; `predict` runs it in evaluation mode. */
export interface ModuleObjective extends AutodiffObjective<Batch> {
  readonly model: Module;
  /** The live buffers by full name (batch norm's running statistics), updated by training steps. */
  readonly buffers: Readonly<Record<string, Float64Array>>;
  /** Outputs in evaluation mode: running statistics, no dropout. */
  predict(params: ArrayLike<number>, x: Matrix): Tensor;
  /** A copy of the module state. */
  saveState(): ModuleState;
  /** Sets the module state from `saveState`'s value (checked: names, lengths, the RNG state). */
  loadState(state: unknown): void;
  /** Buffers back to their initial values and the dropout RNG seeded with `seed`'s stream. */
  resetState(seed: number): void;
  /**
   * Keeps the module state in the run's checkpoints: pass it in `train({ controllers: [...] })`.
   * At the start of a fresh run it resets the buffers and seeds the dropout RNG from the run's
   * `seed`; a run restored from a checkpoint gets the saved buffers and RNG back, so it draws the
   * same dropout masks and keeps the same running statistics as the run that was not interrupted.
   * It sends no commands.
   */
  readonly stateController: FeedbackController;
}

/** Stream number of the dropout RNG under the run's seed (`deriveSeed(seed, DROPOUT_STREAM)`). */
const DROPOUT_STREAM = 0x64726f70;
/** The key of the module state in a checkpoint's `kept`. */
const STATE_KEY = 'autodiff.moduleState';

/**
 * A module and a loss as core's `Objective` over a batch of (x, y) rows, parameters named as the
 * module names them. `loss(params, batch, grad)` with a gradient buffer is a training step
 * (batch statistics that move the running ones, dropout); without one it evaluates (running
 * statistics, no dropout), which is how the run loop computes a validation loss.
 */
export function moduleObjective(options: ModuleObjectiveOptions): ModuleObjective {
  const { model, loss } = options;
  const name = options.name ?? 'module';
  const parameters: Record<string, ObjectiveParameter> = {};
  for (const p of model.parameters) {
    if (parameters[p.name] !== undefined)
      throw new RangeError(`moduleObjective: parameter name ${p.name} is used twice`);
    parameters[p.name] = { shape: p.shape, kind: p.kind, init: p.init };
  }
  const buffers: Record<string, Float64Array> = {};
  for (const b of model.buffers ?? []) {
    if (buffers[b.name] !== undefined || parameters[b.name] !== undefined)
      throw new RangeError(`moduleObjective: buffer name ${b.name} is used twice`);
    buffers[b.name] = new Float64Array(sizeOf(b.shape));
  }
  const lookup = (params: Params) => (key: string) => {
    const t = params[key];
    if (t === undefined)
      throw new RangeError(`moduleObjective: the model asked for an unknown parameter ${key}`);
    return t;
  };
  const bufferLookup = (key: string): Float64Array => {
    const b = buffers[key];
    if (b === undefined)
      throw new RangeError(`moduleObjective: the model asked for an unknown buffer ${key}`);
    return b;
  };
  let generator: Rng = createRng(0);
  // One RNG object for the objective's life (a compiled plan keeps the one it was traced with);
  // resetState and loadState swap the generator behind it.
  const rng: Rng = {
    next: () => generator.next(),
    uniform: (low, high) => generator.uniform(low, high),
    int: (n) => generator.int(n),
    normal: (mean, std) => generator.normal(mean, std),
    shuffle: (items) => generator.shuffle(items),
    state: () => generator.state(),
  };
  const resetState = (seed: number): void => {
    for (const b of model.buffers ?? []) b.init(buffers[b.name]!);
    generator = createRng(deriveSeed(seed, DROPOUT_STREAM));
  };
  resetState(options.seed ?? 0);
  const training: ForwardContext = { training: true, rng, buffers: bufferLookup };
  const evaluation: ForwardContext = { training: false, buffers: bufferLookup };
  const forward = (params: Params, x: Matrix, context: ForwardContext): Tensor => {
    const out = model.forward(lookup(params), fromMatrix(x), context);
    if (!(out instanceof Tensor))
      throw new TypeError(`${name}: the model's forward returned ${typeof out}, not a tensor`);
    return out;
  };
  const objective = autodiffObjective<Batch>({
    name,
    parameters,
    ...(options.compile !== undefined && { compile: options.compile }),
    ...(options.kernels !== undefined && { kernels: options.kernels }),
    loss: (params, batch, mode) =>
      loss(forward(params, batch.x, mode === 'train' ? training : evaluation), fromMatrix(batch.y)),
  });
  const saveState = (): ModuleState => ({
    buffers: Object.fromEntries(Object.entries(buffers).map(([k, v]) => [k, v.slice()])),
    rng: [...rng.state()],
  });
  const loadState = (state: unknown): void => {
    const s = state as { buffers?: unknown; rng?: unknown } | null;
    if (s === null || typeof s !== 'object' || typeof s.buffers !== 'object' || s.buffers === null)
      throw new TypeError(`${name}: module state must be { buffers, rng }, got ${JSON.stringify(state)}`);
    const saved = s.buffers as Record<string, unknown>;
    for (const [key, live] of Object.entries(buffers)) {
      const v = saved[key];
      if (!(v instanceof Float64Array) || v.length !== live.length)
        throw new TypeError(
          `${name}: module state buffers.${key} should be a Float64Array(${live.length}), got ${v instanceof Float64Array ? `Float64Array(${v.length})` : typeof v}`,
        );
    }
    const extra = Object.keys(saved).filter((k) => buffers[k] === undefined);
    if (extra.length > 0)
      throw new TypeError(`${name}: module state has buffers the model does not: ${extra.join(', ')}`);
    if (!Array.isArray(s.rng) || s.rng.length === 0 || !s.rng.every((v) => Number.isInteger(v)))
      throw new TypeError(`${name}: module state rng must be a list of integers (an RNG state)`);
    for (const [key, live] of Object.entries(buffers)) live.set(saved[key] as Float64Array);
    generator = restoreRng(s.rng as number[]);
  };
  const stateController: FeedbackController = (events) =>
    new Observable<RunCommand>(() =>
      events.subscribe((event) => {
        if (event.type !== 'start') return;
        const saved = runControllerOf(event)?.keepState(STATE_KEY, saveState);
        if (saved === undefined) resetState(event.config.seed);
        else loadState(saved);
      }),
    );
  return {
    ...objective,
    model,
    buffers,
    initialize: (r: Rng) => objective.initialize(r),
    loss: (params: Vector, batch: Batch, grad?: Vector) => objective.loss(params, batch, grad),
    predict: (params, x) =>
      withKernels(options.kernels, () => forward(objective.unflatten(params), x, evaluation)),
    saveState,
    loadState,
    resetState,
    stateController,
    describe: () => ({
      ...objective.describe(),
      model: model.describe(),
      ...(Object.keys(buffers).length > 0 && {
        buffers: Object.fromEntries((model.buffers ?? []).map((b) => [b.name, formatShape(b.shape)])),
      }),
    }),
  };
}
