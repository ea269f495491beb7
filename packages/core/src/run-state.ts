import type { EndReason } from './events.js';
import type { RngState } from './rng.js';
import { deserializeState, type Plain, serializeState } from './serialize.js';

/** Tags a {@link RunState}, so that a file of another kind is refused with a clear message. */
export const RUN_STATE_FORMAT = 'downhill.run-state';

/**
 * Everything a run needs to continue exactly where it was: one plain, JSON-safe value
 * (`JSON.stringify` keeps every bit: doubles print in shortest round-trip form and NaN, the
 * infinities and -0 are tagged as `serializeState` does). Hand it back as `spec.restore` and the
 * run goes on bit-identically, with the same `runId` and the next `seq`.
 *
 * The data position is `epoch` and `batch` (batches of that epoch already taken): loaders derive
 * their order from seed and epoch only (see `Loader`), so these two numbers are the whole shuffle
 * state. Feedback controllers and stopping operators keep their own state under `kept` (see
 * `RunController.keepState`).
 */
export interface RunState {
  readonly format: typeof RUN_STATE_FORMAT;
  readonly version: 1;
  readonly runId: string;
  /** The `seq` of the next event: every event before it is part of the saved run. */
  readonly seq: number;
  /** Milliseconds the run had been running (event `time` continues from here). */
  readonly time: number;
  /** Updates applied so far. */
  readonly step: number;
  readonly epoch: number;
  /** Batches of `epoch` already taken. */
  readonly batch: number;
  /** Parameters, serialized (`{ $f64: [...] }`). */
  readonly params: Plain;
  /** Optimizer state, serialized. */
  readonly optimizerState: Plain;
  /** Hyperparameters set through the control path (`set` commands), and the values last used. */
  readonly overrides: Readonly<Record<string, number>>;
  readonly current: Plain;
  /** Running sums of the current epoch's loss (for its `epoch` event) and the last step's loss. */
  readonly epochLoss: Plain;
  readonly epochRows: number;
  readonly lastLoss: Plain;
  /** The run's RNG (it made the initial parameters; objectives may draw from it). */
  readonly rng: RngState;
  /** State of controllers and operators, by the key they registered. */
  readonly kept: Readonly<Record<string, Plain>>;
}

/** Why a checkpoint was taken. */
export type CheckpointTrigger = 'steps' | 'epochs' | 'seconds' | 'best' | 'end';

export interface CheckpointInfo {
  readonly trigger: CheckpointTrigger;
  /** For `end`: how the run ended. A run that failed (`error`, `diverged`) is saved only when `onFailure` asks. */
  readonly reason?: EndReason;
  /** For `best`: the monitored value of the epoch that improved. */
  readonly value?: number;
}

/**
 * Periodic and best-by-metric checkpoints, as Keras' `ModelCheckpoint` / `BackupAndRestore` and
 * PyTorch users expect them. A checkpoint is taken at a step boundary (after queued commands
 * were applied), so the saved state is consistent with every event emitted before `state.seq`.
 */
export interface CheckpointOptions {
  /** Save every n steps. */
  readonly everySteps?: number;
  /** Save at the end of every n-th epoch. */
  readonly everyEpochs?: number;
  /** Save when this many seconds passed since the last save (checked at step boundaries). */
  readonly everySeconds?: number;
  /** Save whenever an epoch's monitored value improves (`trigger: 'best'`). */
  readonly best?: {
    /** `validationLoss` (default), `loss`, or a metric name of the epoch event. */
    readonly monitor?: string;
    /** `min` (default) or `max`. */
    readonly mode?: 'min' | 'max';
    /** Smallest change that counts as an improvement; default 0. */
    readonly minDelta?: number;
  };
  /** Save the final state when the run ends (default true); failed runs only with `onFailure`. */
  readonly atEnd?: boolean;
  /** Also save at the end of a run that ended with `error` or `diverged` (default false). */
  readonly onFailure?: boolean;
  /**
   * Receives each checkpoint. Called synchronously inside the run loop with a value the loop no
   * longer touches; write it out asynchronously. A throw ends the run with `error`.
   */
  save(state: RunState, info: CheckpointInfo): void;
}

/** What the run loop holds between steps, before serialization. */
export interface RunStateParts {
  readonly runId: string;
  readonly seq: number;
  readonly time: number;
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly params: Float64Array;
  readonly optimizerState: unknown;
  readonly overrides: Record<string, number>;
  readonly current: Record<string, number>;
  readonly epochLoss: number;
  readonly epochRows: number;
  readonly lastLoss: number;
  readonly rng: RngState;
  readonly kept: Record<string, unknown>;
}

/** Serializes the loop's state into a {@link RunState} (copies everything). */
export function captureRunState(parts: RunStateParts): RunState {
  const kept: Record<string, Plain> = {};
  for (const [key, value] of Object.entries(parts.kept)) kept[key] = serializeState(value, `kept.${key}`);
  return {
    format: RUN_STATE_FORMAT,
    version: 1,
    runId: parts.runId,
    seq: parts.seq,
    time: parts.time,
    step: parts.step,
    epoch: parts.epoch,
    batch: parts.batch,
    params: serializeState(parts.params, 'params'),
    optimizerState: serializeState(parts.optimizerState, 'optimizerState'),
    overrides: { ...parts.overrides },
    current: serializeState(parts.current, 'current'),
    epochLoss: serializeState(parts.epochLoss, 'epochLoss'),
    epochRows: parts.epochRows,
    lastLoss: serializeState(parts.lastLoss, 'lastLoss'),
    rng: [...parts.rng],
    kept,
  };
}

function bad(field: string, problem: string): never {
  throw new TypeError(`run state: ${field} ${problem}`);
}

function count(state: Record<string, unknown>, field: string): number {
  const v = state[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    bad(field, `must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

function numberRecord(value: unknown, field: string): Record<string, number> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    bad(field, `must be an object of numbers, got ${JSON.stringify(value)}`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'number') bad(`${field}.${k}`, `must be a number, got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out;
}

/**
 * Checks a {@link RunState} read back from storage and decodes it into the loop's parts; throws a
 * TypeError naming the first bad field. `dimension` is the objective's parameter count.
 */
export function restoreRunState(value: unknown, dimension: number): RunStateParts {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`run state: must be an object, got ${value === null ? 'null' : typeof value}`);
  const state = value as Record<string, unknown>;
  if (state.format !== RUN_STATE_FORMAT)
    bad('format', `must be ${JSON.stringify(RUN_STATE_FORMAT)}, got ${JSON.stringify(state.format)}`);
  if (state.version !== 1) bad('version', `must be 1, got ${JSON.stringify(state.version)}`);
  if (typeof state.runId !== 'string' || state.runId === '') bad('runId', 'must be a non-empty string');
  const params = deserializeState(state.params, 'params');
  if (!(params instanceof Float64Array)) bad('params', 'must be a serialized Float64Array ({ $f64: [...] })');
  if (params.length !== dimension)
    bad('params', `has ${params.length} values, the objective has ${dimension} parameters`);
  for (let i = 0; i < params.length; i++)
    if (!Number.isFinite(params[i]!)) bad(`params[${i}]`, `is ${params[i]}, not a finite number`);
  const rng = state.rng;
  if (!Array.isArray(rng) || rng.length === 0 || !rng.every((v) => Number.isInteger(v)))
    bad('rng', 'must be a list of integers (an RNG state)');
  const kept = state.kept ?? {};
  if (kept === null || typeof kept !== 'object' || Array.isArray(kept)) bad('kept', 'must be an object');
  const decodedKept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kept)) decodedKept[k] = deserializeState(v, `kept.${k}`);
  const time = state.time;
  if (typeof time !== 'number' || !(time >= 0)) bad('time', 'must be a number >= 0');
  const epochLoss = deserializeState(state.epochLoss, 'epochLoss');
  const lastLoss = deserializeState(state.lastLoss, 'lastLoss');
  if (typeof epochLoss !== 'number') bad('epochLoss', 'must be a number');
  if (typeof lastLoss !== 'number') bad('lastLoss', 'must be a number');
  return {
    runId: state.runId,
    seq: count(state, 'seq'),
    time,
    step: count(state, 'step'),
    epoch: count(state, 'epoch'),
    batch: count(state, 'batch'),
    params,
    optimizerState: deserializeState(state.optimizerState, 'optimizerState'),
    overrides: numberRecord(state.overrides, 'overrides'),
    current: numberRecord(deserializeState(state.current, 'current'), 'current'),
    epochLoss,
    epochRows: count(state, 'epochRows'),
    lastLoss,
    rng: rng as number[],
    kept: decodedKept,
  };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Float64Array) return 'Float64Array';
  if (v instanceof Float32Array) return 'Float32Array';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Throws when `actual` (a restored optimizer state) does not have the shape of `expected` (the
 * optimizer's fresh `init`): same keys, same kinds, typed arrays of the same type and length. A
 * state from another optimizer or model is refused instead of failing later inside a kernel.
 * Transforms that allocate a buffer on their first update start with an empty one: such a buffer
 * may come back empty or with `dimension` values.
 */
export function checkStateShape(
  expected: unknown,
  actual: unknown,
  options: { readonly dimension?: number; readonly path?: string } = {},
): void {
  const path = options.path ?? 'optimizerState';
  const e = kindOf(expected);
  const a = kindOf(actual);
  if (e !== a) throw new TypeError(`${path} should be ${describe(expected)}, got ${describe(actual)}`);
  const at = (p: string) => ({ ...options, path: p });
  if (expected instanceof Float64Array || expected instanceof Float32Array) {
    const n = (actual as Float64Array).length;
    const ok = expected.length > 0 ? n === expected.length : n === 0 || n === options.dimension;
    if (!ok)
      throw new TypeError(
        `${path} should be ${describe(expected, options.dimension)}, got ${describe(actual)}`,
      );
  } else if (Array.isArray(expected)) {
    if ((actual as unknown[]).length !== expected.length)
      throw new TypeError(
        `${path} should have ${expected.length} items, got ${(actual as unknown[]).length}`,
      );
    for (let i = 0; i < expected.length; i++)
      checkStateShape(expected[i], (actual as unknown[])[i], at(`${path}[${i}]`));
  } else if (e === 'object') {
    const ek = Object.keys(expected as object).sort();
    const ak = Object.keys(actual as object).sort();
    if (ek.join() !== ak.join())
      throw new TypeError(`${path} should have the fields ${ek.join(', ')}, got ${ak.join(', ') || 'none'}`);
    for (const k of ek)
      checkStateShape(
        (expected as Record<string, unknown>)[k],
        (actual as Record<string, unknown>)[k],
        at(`${path}.${k}`),
      );
  }
}

function describe(v: unknown, dimension?: number): string {
  if (v instanceof Float64Array || v instanceof Float32Array) {
    const kind = kindOf(v);
    return v.length === 0 && dimension !== undefined ? `${kind}(0 or ${dimension})` : `${kind}(${v.length})`;
  }
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return kindOf(v);
}
