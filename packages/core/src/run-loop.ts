import { merge, Subject, type Subscriber, type Subscription } from 'rxjs';
import type { RunCommand } from './commands.js';
import type { EndEvent, EndReason, RunConfig, StartEvent, TrainEvent } from './events.js';
import { applyUpdatesIfFinite } from './kernels/apply-updates.js';
import { allFinite, norm2 } from './kernels/blas1.js';
import type { Batch, Description } from './objective.js';
import type { UpdateContext } from './optimizer.js';
import { createRng, type Rng, restoreRng } from './rng.js';
import { attachRunController } from './run-controller.js';
import { type CheckpointInfo, captureRunState, type RunState, restoreRunState } from './run-state.js';
import { serializeState } from './serialize.js';
import type { TrainSpec } from './spec.js';
import { scheduleMacrotask } from './yield-macrotask.js';

type Next<T> = IteratorResult<T> | Promise<IteratorResult<T>>;

interface StopRequest {
  readonly reason: EndReason;
  readonly params?: ArrayLike<number>;
  readonly bestLoss?: number;
  readonly source?: string;
}

function isPromise<T>(value: Next<T>): value is Promise<IteratorResult<T>> {
  return typeof (value as Promise<unknown>).then === 'function';
}

function rowsOf(batch: unknown): number {
  const x = (batch as Partial<Batch> | undefined)?.x;
  return x !== undefined && typeof x.rows === 'number' ? x.rows : 1;
}

/** Where the best monitored value of `checkpoint.best` is kept (so that a resumed run compares with it). */
const BEST_KEY = 'checkpoint.best';

function newRunId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now();

/** One run of `train()`: owns the buffers, the optimizer state and the iteration position. */
export class RunLoop<TBatch> {
  private readonly runId: string;
  private readonly params: Float64Array;
  private readonly updates: Float64Array;
  private readonly optState: unknown;
  private readonly rng: Rng;
  /** Controllers' and operators' state providers, by key (`keepState`). */
  private readonly keepers = new Map<string, () => unknown>();
  private readonly restoredKept: Record<string, unknown>;
  /** Checkpoint bookkeeping: the last step/time saved, the best monitored value, a finished epoch to consider. */
  private lastSavedStep = -1;
  private lastSavedAt = 0;
  private bestValue = Number.POSITIVE_INFINITY;
  private epochToCheck: { readonly epoch: number; readonly value: number | undefined } | undefined;
  private restoredBatch = 0;
  private restoredEpochLoss: { loss: number; rows: number } | undefined;
  private readonly context: {
    step: number;
    loss: number;
    overrides: Record<string, number>;
    current: Record<string, number>;
    evaluate: (params: Float64Array, grad: Float64Array) => number;
  };
  /** The batch of the update running now, for `context.evaluate` (a void batch is undefined). */
  private stepBatch: TBatch | undefined;
  private inUpdate = false;
  /** Objective evaluations of the step being taken. */
  private stepEvaluations = 0;
  private readonly commands: RunCommand[] = [];
  private readonly events = new Subject<TrainEvent>();
  private readonly recordEvery: number;
  private readonly sliceMs: number;
  private subscriptions: Subscription | undefined;
  private iterator: Iterator<TBatch> | AsyncIterator<TBatch> | undefined;
  private seq = 0;
  private t0 = 0;
  private timeOffset = 0;
  private step: number;
  private epoch = 0;
  private batchIndex = 0;
  private skipBatches = 0;
  private epochLoss = 0;
  private epochRows = 0;
  private lastLoss = Number.NaN;
  private paused = false;
  private finished = false;
  private waiting = false;
  private stopRequest: StopRequest | undefined;
  private cancelTask: (() => void) | undefined;

  constructor(
    private readonly spec: TrainSpec<TBatch>,
    private readonly subscriber: Subscriber<TrainEvent>,
  ) {
    const n = spec.objective.dimension;
    const restored = spec.restore ? restoreRunState(spec.restore, n) : undefined;
    this.runId = restored?.runId ?? spec.runId ?? newRunId();
    this.rng = restored ? restoreRng(restored.rng) : createRng(spec.seed ?? 0);
    this.restoredKept = restored?.kept ?? {};
    const init = restored
      ? restored.params
      : typeof spec.params === 'function'
        ? spec.params(this.rng)
        : spec.params;
    if (init.length !== n) {
      throw new RangeError(
        `train: spec.params produced ${init.length} values, the objective has ${n} parameters`,
      );
    }
    this.params = Float64Array.from(init);
    if (!allFinite(this.params)) throw new RangeError('train: spec.params contains a non-finite value');
    this.updates = new Float64Array(n);
    const fresh = spec.optimizer.init(this.params);
    // validateSpec checked that a saved state has the shape of `fresh`.
    this.optState = restored?.optimizerState ?? spec.resume?.optimizerState ?? fresh;
    this.step = restored?.step ?? spec.resume?.step ?? 0;
    const bpe = spec.loader?.batchesPerEpoch;
    if (restored) {
      this.epoch = restored.epoch;
      this.restoredBatch = restored.batch;
      this.seq = restored.seq;
      this.lastLoss = restored.lastLoss;
      this.restoredEpochLoss = { loss: restored.epochLoss, rows: restored.epochRows };
      this.lastSavedStep = restored.step;
    } else if (spec.loader && bpe !== undefined && this.step > 0) {
      this.epoch = Math.floor(this.step / bpe);
      this.restoredBatch = this.step % bpe;
    }
    this.context = {
      step: this.step,
      loss: Number.NaN,
      overrides: { ...restored?.overrides },
      current: { ...restored?.current },
      // Made once: an optimizer's second gradient allocates nothing in the loop.
      evaluate: (at, grad) => {
        if (!this.inUpdate) {
          throw new Error('train: context.evaluate is only available while an update is running');
        }
        this.stepEvaluations++;
        return this.spec.objective.loss(at, this.stepBatch as TBatch, grad);
      },
    };
    this.timeOffset = restored?.time ?? 0;
    this.recordEvery =
      spec.recordParams === true ? 1 : typeof spec.recordParams === 'number' ? spec.recordParams : 0;
    this.sliceMs = spec.sliceMs ?? 8;
  }

  start(): void {
    this.t0 = now() - this.timeOffset;
    this.lastSavedAt = now();
    const best = this.restoredKept[BEST_KEY];
    if (typeof best === 'number') this.bestValue = best;
    const spec = this.spec;
    const sources = [];
    if (spec.control) sources.push(spec.control);
    for (const controller of spec.controllers ?? []) sources.push(controller(this.events.asObservable()));
    if (sources.length > 0) {
      this.subscriptions = merge(...sources).subscribe({
        next: (command) => this.receive(command),
        error: (err: unknown) => this.fail(err),
      });
    }
    const start: StartEvent = {
      type: 'start',
      runId: this.runId,
      // A restored run replays its start event under the original seq 0 (a receiver that
      // deduplicates by runId and seq keeps the first one); the events after it continue at the
      // checkpoint's seq, exactly as the interrupted run numbered them.
      seq: this.spec.restore ? 0 : this.seq++,
      time: 0,
      config: this.describe(),
      params: Array.from(this.params),
      step: this.step,
    };
    attachRunController(start, {
      runId: this.runId,
      send: (command) => this.receive(command),
      snapshot: () => this.params.slice(),
      keepState: (key, save) => this.keepState(key, save),
    });
    this.emit(start);
    if (this.finished) return;
    try {
      if (spec.loader) {
        this.openEpoch();
        this.skipBatches = this.restoredBatch;
        if (this.restoredEpochLoss) {
          this.epochLoss = this.restoredEpochLoss.loss;
          this.epochRows = this.restoredEpochLoss.rows;
        }
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    if (spec.mode === 'sync') this.runSync();
    else this.pump();
  }

  dispose(): void {
    this.finished = true;
    this.cancelTask?.();
    this.subscriptions?.unsubscribe();
    this.events.complete();
    const it = this.iterator;
    this.iterator = undefined;
    if (it?.return) {
      try {
        const r = it.return();
        if (isPromise(r as Next<TBatch>)) (r as Promise<unknown>).catch(() => undefined);
      } catch {
        // a loader that fails while closing has nothing left to report
      }
    }
  }

  private keepState(key: string, save: () => unknown): unknown {
    let unique = key;
    for (let i = 2; this.keepers.has(unique) || unique === BEST_KEY; i++) unique = `${key}#${i}`;
    this.keepers.set(unique, save);
    return this.restoredKept[unique];
  }

  /** The run's full state between two steps, as one plain value (see `RunState`). */
  private captureState(): RunState {
    const kept: Record<string, unknown> = {};
    for (const [key, save] of this.keepers) kept[key] = save();
    if (this.spec.checkpoint?.best) kept[BEST_KEY] = this.bestValue;
    return captureRunState({
      runId: this.runId,
      seq: this.seq,
      time: this.time(),
      step: this.step,
      epoch: this.epoch,
      batch: this.batchIndex,
      params: this.params,
      optimizerState: this.optState,
      overrides: this.context.overrides,
      current: this.context.current,
      epochLoss: this.epochLoss,
      epochRows: this.epochRows,
      lastLoss: this.lastLoss,
      rng: this.rng.state(),
      kept,
    });
  }

  /** Takes the checkpoints that are due at this step boundary. */
  private checkpoint(): void {
    const options = this.spec.checkpoint;
    if (!options) return;
    const done = this.epochToCheck;
    const infos = this.bestInfo();
    if (this.step !== this.lastSavedStep || done !== undefined) {
      if (done !== undefined && options.everyEpochs && (done.epoch + 1) % options.everyEpochs === 0)
        infos.push({ trigger: 'epochs' });
      else if (options.everySteps && this.step % options.everySteps === 0 && this.step !== this.lastSavedStep)
        infos.push({ trigger: 'steps' });
      else if (options.everySeconds !== undefined && now() - this.lastSavedAt >= options.everySeconds * 1000)
        infos.push({ trigger: 'seconds' });
    }
    if (infos.length === 0) return;
    const state = this.captureState();
    if (infos.some((i) => i.trigger !== 'best')) {
      this.lastSavedStep = this.step;
      this.lastSavedAt = now();
    }
    for (const info of infos) options.save(state, info);
  }

  /** A `best` checkpoint when the epoch that just finished improved on the best monitored value. */
  private bestInfo(): CheckpointInfo[] {
    const best = this.spec.checkpoint?.best;
    const done = this.epochToCheck;
    this.epochToCheck = undefined;
    if (!best || done?.value === undefined) return [];
    const value = (best.mode === 'max' ? -1 : 1) * done.value;
    if (!(value < this.bestValue - (best.minDelta ?? 0))) return [];
    this.bestValue = value;
    return [{ trigger: 'best', value: done.value }];
  }

  /** The value `checkpoint.best` watches in an epoch event. */
  private monitored(event: {
    epoch: number;
    loss: number;
    validationLoss?: number;
    metrics?: Readonly<Record<string, number>>;
  }): number {
    const monitor = this.spec.checkpoint?.best?.monitor ?? 'validationLoss';
    const value =
      monitor === 'loss' || monitor === 'validationLoss' ? event[monitor] : event.metrics?.[monitor];
    if (value === undefined) {
      const known = [
        'loss',
        ...(event.validationLoss !== undefined ? ['validationLoss'] : []),
        ...Object.keys(event.metrics ?? {}),
      ];
      throw new RangeError(
        `train: spec.checkpoint.best.monitor ${JSON.stringify(monitor)} is not in epoch ${event.epoch}; available: ${known.join(', ')}`,
      );
    }
    return value;
  }

  private describe(): RunConfig {
    const { spec } = this;
    const loader = spec.loader;
    return {
      model: spec.objective.describe?.(),
      optimizer: spec.optimizer.describe(),
      data: loader?.describe?.() ?? (loader ? ({ name: 'loader' } as Description) : undefined),
      batchSize: loader?.batchSize,
      samples: loader?.samples,
      batchesPerEpoch: loader?.batchesPerEpoch,
      parameterCount: spec.objective.dimension,
      seed: spec.seed ?? 0,
      epochs: spec.epochs,
      steps: spec.steps,
      validationSamples: spec.validation?.samples,
      settable: [...spec.optimizer.settable],
      extra: { ...spec.config },
    };
  }

  private emit(event: TrainEvent): void {
    if (this.subscriber.closed) return;
    this.subscriber.next(event);
    this.events.next(event);
  }

  private time(): number {
    return now() - this.t0;
  }

  private receive(command: RunCommand): void {
    if (this.finished) return;
    this.commands.push(command);
    // A paused sliced loop is not scheduled: wake it so that a resume, a stop or a new value takes
    // effect now (it pauses again at the boundary unless resumed). Otherwise commands wait for the
    // next step boundary.
    if (this.paused && this.spec.mode !== 'sync' && !this.waiting && this.cancelTask === undefined) {
      this.schedule();
    }
  }

  /** Applies queued commands at a step boundary. */
  private applyCommands(): void {
    while (this.commands.length > 0 && !this.finished) {
      const command = this.commands.shift()!;
      const source = command.source ?? 'user';
      switch (command.type) {
        case 'stop':
          this.stopRequest = {
            reason: command.reason ?? 'stopped',
            source,
            ...(command.params !== undefined ? { params: command.params } : {}),
            ...(command.bestLoss !== undefined ? { bestLoss: command.bestLoss } : {}),
          };
          break;
        case 'pause':
        case 'resume': {
          const paused = command.type === 'pause';
          if (paused && this.spec.mode === 'sync') {
            this.warn(`pause from ${source} ignored: a run in sync mode cannot wait`);
          } else if (paused !== this.paused) {
            this.paused = paused;
            this.emit({
              type: 'status',
              runId: this.runId,
              seq: this.seq++,
              time: this.time(),
              status: paused ? 'paused' : 'running',
              step: this.step,
              source,
            });
          }
          break;
        }
        case 'set':
          this.setHyperparameter(command.name, command.value, source);
          break;
        default:
          this.warn(`unknown command ${JSON.stringify((command as { type?: unknown }).type)} ignored`);
      }
    }
  }

  private setHyperparameter(name: string, value: number, source: string): void {
    const settable = this.spec.optimizer.settable;
    if (!settable.includes(name)) {
      this.warn(
        `cannot set ${JSON.stringify(name)}: the optimizer accepts ${settable.map((s) => JSON.stringify(s)).join(', ') || 'nothing'}`,
      );
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      this.warn(`cannot set ${name} to ${value}: the value must be a finite, non-negative number`);
      return;
    }
    const previous = this.context.overrides[name] ?? this.context.current[name];
    this.context.overrides[name] = value;
    this.emit({
      type: 'hyperparam',
      runId: this.runId,
      seq: this.seq++,
      time: this.time(),
      step: this.step,
      name,
      value,
      previous,
      source,
    });
  }

  private warn(message: string): void {
    this.emit({ type: 'warning', runId: this.runId, seq: this.seq++, time: this.time(), message });
  }

  private openEpoch(): void {
    const loader = this.spec.loader!;
    const batches = loader.epoch(this.epoch);
    const it =
      Symbol.asyncIterator in batches
        ? (batches as AsyncIterable<TBatch>)[Symbol.asyncIterator]()
        : (batches as Iterable<TBatch>)[Symbol.iterator]();
    if (this.spec.mode === 'sync' && Symbol.asyncIterator in batches) {
      throw new TypeError('train: spec.loader is asynchronous; mode "sync" needs an in-memory loader');
    }
    this.iterator = it;
    this.batchIndex = 0;
    this.epochLoss = 0;
    this.epochRows = 0;
  }

  /** The next batch, or a promise of it for streamed loaders. */
  private nextBatch(): Next<TBatch> {
    if (!this.iterator) return { done: false, value: undefined as TBatch };
    return this.iterator.next();
  }

  /** True when the run must end before taking another step. */
  private atBoundary(): boolean {
    this.applyCommands();
    if (this.finished) return true;
    if (this.stopRequest) {
      const r = this.stopRequest;
      this.end(r.reason, { source: r.source, params: r.params, bestLoss: r.bestLoss });
      return true;
    }
    if (this.spec.steps !== undefined && this.step >= this.spec.steps) {
      this.end('completed');
      return true;
    }
    this.checkpoint();
    return false;
  }

  /** Consumes one iterator result: a step, or the end of an epoch. */
  private handle(result: IteratorResult<TBatch>): void {
    if (result.done) {
      this.finishEpoch();
      return;
    }
    if (this.skipBatches > 0) {
      this.skipBatches--;
      this.batchIndex++;
      return;
    }
    this.takeStep(result.value);
  }

  private takeStep(batch: TBatch): void {
    const { spec, params, updates, context } = this;
    // The gradient is written straight into the update buffer, which the optimizer then rewrites in place.
    const loss = spec.objective.loss(params, batch, updates);
    const gradNorm = norm2(updates);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      this.end('diverged', {
        loss,
        reason: `non-finite ${Number.isFinite(loss) ? 'gradient' : 'loss'} at step ${this.step}`,
      });
      return;
    }
    context.step = this.step;
    context.loss = loss;
    // One pass (in the optimizer's own pass where it has a fused step): a diverging update is
    // undone, leaving the last finite parameters in place.
    const optimizer = spec.optimizer;
    let applied: boolean;
    this.stepEvaluations = 1;
    this.stepBatch = batch;
    this.inUpdate = true;
    try {
      if (optimizer.fusedStep !== undefined) {
        applied = optimizer.fusedStep(updates, this.optState, params, context as UpdateContext);
      } else {
        optimizer.update(updates, this.optState, params, context as UpdateContext);
        applied = applyUpdatesIfFinite(params, updates);
      }
    } finally {
      this.inUpdate = false;
      this.stepBatch = undefined;
    }
    if (!applied) {
      this.end('diverged', { loss, reason: `non-finite parameters after the update of step ${this.step}` });
      return;
    }
    const rows = rowsOf(batch);
    this.epochLoss += loss * rows;
    this.epochRows += rows;
    this.lastLoss = loss;
    const record = this.recordEvery > 0 && this.step % this.recordEvery === 0;
    const lr = context.current.learningRate;
    this.emit({
      type: 'step',
      runId: this.runId,
      seq: this.seq++,
      time: this.time(),
      step: this.step,
      epoch: this.epoch,
      batch: this.batchIndex,
      loss,
      gradNorm,
      learningRate: lr ?? Number.NaN,
      hyperparams: { ...context.current },
      ...(this.stepEvaluations > 1 ? { evaluations: this.stepEvaluations } : {}),
      ...(record ? { params: Array.from(params) } : {}),
    });
    this.step++;
    this.batchIndex++;
  }

  private finishEpoch(): void {
    const { spec } = this;
    if (this.batchIndex === 0)
      throw new RangeError(`train: spec.loader yielded no batch in epoch ${this.epoch}`);
    const validationLoss = spec.validation ? this.validate() : undefined;
    const metrics = spec.metrics?.(this.params);
    const event = {
      type: 'epoch' as const,
      runId: this.runId,
      seq: this.seq++,
      time: this.time(),
      epoch: this.epoch,
      step: this.step,
      loss: this.epochRows > 0 ? this.epochLoss / this.epochRows : Number.NaN,
      ...(validationLoss !== undefined ? { validationLoss } : {}),
      ...(metrics !== undefined ? { metrics } : {}),
    };
    this.emit(event);
    if (spec.checkpoint)
      this.epochToCheck = {
        epoch: this.epoch,
        value: spec.checkpoint.best ? this.monitored(event) : undefined,
      };
    this.epoch++;
    if (spec.epochs !== undefined && this.epoch >= spec.epochs) {
      this.iterator = undefined;
      // The position is the start of the next epoch (a resume with more epochs begins there), so
      // nothing of this epoch's loss is carried into it.
      this.batchIndex = 0;
      this.epochLoss = 0;
      this.epochRows = 0;
      // A stop requested during the last epoch keeps its reason.
      this.applyCommands();
      if (!this.finished) {
        const r = this.stopRequest;
        if (r) this.end(r.reason, { source: r.source, params: r.params, bestLoss: r.bestLoss });
        else this.end('completed');
      }
      return;
    }
    this.openEpoch();
  }

  private validate(): number {
    const loader = this.spec.validation!;
    const batches = loader.epoch(0);
    if (Symbol.asyncIterator in batches)
      throw new TypeError('train: spec.validation must be an in-memory loader');
    let sum = 0;
    let rows = 0;
    for (const batch of batches as Iterable<TBatch>) {
      const r = rowsOf(batch);
      sum += this.spec.objective.loss(this.params, batch) * r;
      rows += r;
    }
    return rows > 0 ? sum / rows : Number.NaN;
  }

  private end(
    reason: EndReason,
    extra: {
      source?: string | undefined;
      params?: ArrayLike<number> | undefined;
      bestLoss?: number | undefined;
      loss?: number;
      reason?: string;
    } = {},
    complete = true,
  ): void {
    if (this.finished) return;
    this.finished = true;
    const saveAtEnd = this.spec.checkpoint;
    const failed = reason === 'error' || reason === 'diverged';
    let finalState: RunState | undefined;
    const infos: CheckpointInfo[] = failed ? [] : this.bestInfo();
    if (saveAtEnd?.atEnd !== false && (!failed || saveAtEnd?.onFailure))
      infos.push({ trigger: 'end', reason });
    if (saveAtEnd && infos.length > 0) {
      try {
        // Captured before the end event, whose seq the state then covers as the next one.
        finalState = { ...this.captureState(), seq: this.seq + 1 };
      } catch {
        finalState = undefined; // a state provider that fails at the end leaves the last checkpoint in place
      }
    }
    const event: EndEvent = {
      type: 'end',
      runId: this.runId,
      seq: this.seq++,
      time: this.time(),
      reason,
      step: this.step,
      epoch: this.epoch,
      params: Array.from(extra.params ?? this.params),
      loss: extra.loss ?? this.lastLoss,
      ...(extra.params !== undefined ? { bestParams: Array.from(extra.params) } : {}),
      ...(extra.bestLoss !== undefined ? { bestLoss: extra.bestLoss } : {}),
      ...(extra.reason !== undefined ? { error: extra.reason } : {}),
      ...(extra.source !== undefined ? { source: extra.source } : {}),
      ...(this.spec.returnState ? { optimizerState: serializeState(this.optState) } : {}),
    };
    this.emit(event);
    if (finalState && saveAtEnd) {
      try {
        for (const info of infos) saveAtEnd.save(finalState, info);
      } catch (err) {
        this.dispose();
        if (!this.subscriber.closed) this.subscriber.error(err);
        return;
      }
    }
    this.dispose();
    if (complete && !this.subscriber.closed) this.subscriber.complete();
  }

  private fail(err: unknown): void {
    if (this.finished) return;
    const message = err instanceof Error ? err.message : String(err);
    this.end('error', { reason: message }, false);
    if (!this.subscriber.closed) this.subscriber.error(err);
  }

  private runSync(): void {
    try {
      while (!this.finished && !this.subscriber.closed) {
        if (this.atBoundary()) return;
        const next = this.nextBatch();
        if (isPromise(next)) throw new TypeError('train: the loader returned a promise in sync mode');
        this.handle(next);
      }
    } catch (err) {
      this.fail(err);
    }
  }

  private schedule(): void {
    this.cancelTask?.();
    this.cancelTask = scheduleMacrotask(() => {
      this.cancelTask = undefined;
      this.pump();
    });
  }

  /** Runs steps for one time slice, then yields to the event loop with a macrotask. */
  private pump(): void {
    const sliceEnd = now() + this.sliceMs;
    try {
      while (!this.finished && !this.subscriber.closed) {
        if (this.atBoundary()) return;
        if (this.paused) return; // a resume command reschedules
        const next = this.nextBatch();
        if (isPromise(next)) {
          this.waiting = true;
          next.then(
            (result) => {
              this.waiting = false;
              if (this.finished) return;
              try {
                this.handle(result);
              } catch (err) {
                this.fail(err);
                return;
              }
              if (!this.finished) this.schedule();
            },
            (err: unknown) => {
              this.waiting = false;
              this.fail(err);
            },
          );
          return;
        }
        this.handle(next);
        if (now() >= sliceEnd) {
          this.schedule();
          return;
        }
      }
    } catch (err) {
      this.fail(err);
    }
  }
}
