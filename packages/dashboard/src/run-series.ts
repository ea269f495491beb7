import type { RunConfig, StepEvent, TrainEvent } from '@downhill/core';
import type { StepColumns } from '@downhill/protocol';
import { GrowableArray } from './growable-array.js';
import type { RunStatus } from './run-status.js';
import type { RunSummary } from './run-summary.js';

/** A hyperparameter change recorded by the run (drawn as a marker on the charts). */
export interface HyperparamMark {
  readonly step: number;
  readonly time: number;
  readonly name: string;
  readonly value: number;
  readonly source: string;
}

/**
 * One run's history in columns (typed arrays that grow), filled event by event. Charts read the
 * columns directly, so a million steps are eight contiguous buffers, not a million objects.
 * Events arriving twice (a reconnect that overlaps) are ignored by their `seq`.
 */
export class RunSeries {
  readonly runId: string;
  config: RunConfig | undefined;
  status: RunStatus = 'running';
  lastSeq = -1;
  // Per step.
  readonly steps = new GrowableArray();
  readonly stepTimes = new GrowableArray();
  readonly losses = new GrowableArray();
  /** Fractional epoch of each step: `epoch + batch / batchesPerEpoch` (an epoch x axis). */
  readonly stepEpochs = new GrowableArray();
  readonly learningRates = new GrowableArray();
  /** L2 norm of each step's raw gradient. */
  readonly gradNorms = new GrowableArray();
  /** The `seq` of each step event (to ask the server for the exact events of a step range). */
  readonly stepSeqs = new GrowableArray();
  /** Other live hyperparameters (momentum, beta1 ...), aligned with `steps` (NaN when absent). */
  readonly hyperparams = new Map<string, GrowableArray>();
  // Per epoch.
  readonly epochs = new GrowableArray(16);
  readonly epochSteps = new GrowableArray(16);
  readonly epochTimes = new GrowableArray(16);
  readonly epochLosses = new GrowableArray(16);
  readonly validationLosses = new GrowableArray(16);
  readonly metrics = new Map<string, GrowableArray>();
  // The first two parameters after each recorded step (2-parameter trajectories).
  readonly pathX = new GrowableArray();
  readonly pathY = new GrowableArray();
  /** Full parameter vectors along the path, kept only for runs with more than 2 parameters. */
  readonly fullPath: Float64Array[] = [];
  readonly marks: HyperparamMark[] = [];
  bestLoss = Number.POSITIVE_INFINITY;
  /** True once an epoch reported a finite validation loss. */
  hasValidation = false;
  epoch = 0;
  time = 0;
  /** Bumped when `mergeDetail` inserts steps inside the columns (derived data must be rebuilt). */
  revision = 0;
  endParams: number[] | undefined;
  error: string | undefined;
  /** The per-step columns other than the hyperparameters', in one list for the hot paths. */
  readonly #stepColumns: readonly GrowableArray[] = [
    this.steps,
    this.stepTimes,
    this.stepSeqs,
    this.losses,
    this.stepEpochs,
    this.learningRates,
    this.gradNorms,
  ];
  #lastHyperparams: Readonly<Record<string, number>> | undefined;
  readonly #one: TrainEvent[] = [];
  readonly #hyperNames: string[] = [];

  constructor(runId: string) {
    this.runId = runId;
  }

  /** Appends one event of this run; returns false when it was a duplicate (seq already seen). */
  add(event: TrainEvent): boolean {
    if (event.runId !== this.runId)
      throw new Error(`RunSeries.add: event for run ${event.runId} given to run ${this.runId}`);
    if (event.seq <= this.lastSeq) return false;
    this.lastSeq = event.seq;
    this.time = event.time;
    switch (event.type) {
      case 'start':
        this.config = event.config;
        this.status = 'running';
        if (event.params.length >= 2) {
          this.pathX.push(event.params[0]!);
          this.pathY.push(event.params[1]!);
        }
        if (event.params.length > 2) this.fullPath.push(Float64Array.from(event.params));
        break;
      case 'step':
        // Through the batch path (it checks the seq again: let it see this one as new).
        this.lastSeq = event.seq - 1;
        this.#one[0] = event;
        this.addSteps(this.#one, 0, 1);
        break;
      case 'epoch': {
        const n = this.epochs.length;
        this.epochs.push(event.epoch);
        this.epochSteps.push(event.step);
        this.epochTimes.push(event.time);
        this.epochLosses.push(event.loss);
        this.validationLosses.push(event.validationLoss ?? Number.NaN);
        if (Number.isFinite(event.validationLoss)) this.hasValidation = true;
        for (const name in event.metrics ?? {}) {
          let column = this.metrics.get(name);
          if (!column) {
            column = new GrowableArray(16);
            for (let i = 0; i < n; i++) column.push(Number.NaN);
            this.metrics.set(name, column);
          }
          column.push(event.metrics![name]!);
        }
        for (const [, column] of this.metrics) if (column.length === n) column.push(Number.NaN);
        break;
      }
      case 'hyperparam':
        this.marks.push({
          step: event.step,
          time: event.time,
          name: event.name,
          value: event.value,
          source: event.source,
        });
        break;
      case 'status':
        this.status = event.status;
        break;
      case 'warning':
        break;
      case 'end':
        this.status = event.reason;
        this.endParams = event.params;
        this.error = event.error;
        if (event.params.length >= 2 && this.pathX.length > 0) {
          const lastX = this.pathX.last();
          const lastY = this.pathY.last();
          if (lastX !== event.params[0] || lastY !== event.params[1]) {
            this.pathX.push(event.params[0]!);
            this.pathY.push(event.params[1]!);
          }
        }
        break;
    }
    return true;
  }

  /**
   * Appends `events[from..to)`, step events of this run (a stretch of a batch), skipping those
   * already seen; returns how many were new. The hot path of every history and live frame: the
   * columns are written in place and their lengths set once per stretch, and the hyperparameter
   * names are only listed again when an event's `hyperparams` object is not the one seen last.
   */
  addSteps(events: readonly TrainEvent[], from: number, to: number): number {
    // Checked before anything is written: a bad stretch leaves the columns as they were.
    for (let i = from; i < to; i++) {
      const event = events[i]!;
      if (event.type !== 'step' || event.runId !== this.runId)
        throw new Error(`RunSeries.addSteps: event ${i} is not a step event of run ${this.runId}`);
    }
    const start = this.steps.length;
    let n = start;
    if (n + (to - from) > this.steps.data.length) this.reserveSteps(Math.max(to - from, n, 256));
    let steps = this.steps.data;
    let times = this.stepTimes.data;
    let seqs = this.stepSeqs.data;
    let losses = this.losses.data;
    let epochs = this.stepEpochs.data;
    let rates = this.learningRates.data;
    let norms = this.gradNorms.data;
    const perEpoch = this.config?.batchesPerEpoch;
    const names = this.#hyperNames;
    let lastSeq = this.lastSeq;
    let best = this.bestLoss;
    for (let i = from; i < to; i++) {
      const event = events[i] as StepEvent;
      if (event.seq <= lastSeq) continue;
      lastSeq = event.seq;
      if (n === steps.length) {
        for (const column of this.#stepColumns) column.setLength(n);
        this.reserveSteps(n);
        steps = this.steps.data;
        times = this.stepTimes.data;
        seqs = this.stepSeqs.data;
        losses = this.losses.data;
        epochs = this.stepEpochs.data;
        rates = this.learningRates.data;
        norms = this.gradNorms.data;
      }
      steps[n] = event.step;
      times[n] = event.time;
      seqs[n] = event.seq;
      losses[n] = event.loss;
      epochs[n] = perEpoch ? event.epoch + event.batch / perEpoch : event.epoch;
      rates[n] = event.learningRate;
      norms[n] = event.gradNorm;
      if (event.loss < best) best = event.loss;
      const hyperparams = event.hyperparams;
      if (hyperparams !== this.#lastHyperparams) {
        this.#lastHyperparams = hyperparams;
        let k = 0;
        let same = true;
        for (const name in hyperparams) {
          if (name === 'learningRate') continue;
          if (names[k] !== name) same = false;
          k++;
        }
        if (!same || k !== names.length) {
          names.length = 0;
          for (const name in hyperparams) if (name !== 'learningRate') names.push(name);
        }
      }
      for (let k = 0; k < names.length; k++) {
        const name = names[k]!;
        let column = this.hyperparams.get(name);
        if (!column) {
          // As much room as the step columns have, NaN for the steps before it appeared.
          column = new GrowableArray(steps.length);
          column.data.fill(Number.NaN, 0, n);
          column.setLength(n);
          this.hyperparams.set(name, column);
        }
        column.push(hyperparams[name]!);
      }
      // A hyperparameter this step did not report gets NaN, keeping the columns aligned.
      if (names.length !== this.hyperparams.size)
        for (const [, column] of this.hyperparams) if (column.length === n) column.push(Number.NaN);
      const params = event.params;
      if (params && params.length >= 2) {
        this.pathX.push(params[0]!);
        this.pathY.push(params[1]!);
        if (params.length > 2) this.fullPath.push(Float64Array.from(params));
      }
      n++;
      this.epoch = event.epoch;
      this.time = event.time;
    }
    for (const column of this.#stepColumns) column.setLength(n);
    this.lastSeq = lastSeq;
    this.bestLoss = best;
    return n - start;
  }

  /**
   * Appends entries `[from, to)` of step events in the wire's columns (a live `events` frame's
   * `steps`, see `@downhill/protocol`'s `stepColumnsSchema`) straight into the columns, without
   * an event object per step; entries whose `seq` was already seen are skipped. Returns how many
   * were new. The result is the same as `addSteps` given `fromStepColumns(runId, columns)`.
   */
  addStepColumns(columns: StepColumns, from = 0, to: number = columns.seq.length): number {
    const seqs = columns.seq;
    const length = seqs.length;
    // Checked before anything is written: a bad batch leaves the columns as they were.
    const check = (name: string, values: number | readonly number[]) => {
      if (typeof values !== 'number' && values.length !== length)
        throw new Error(
          `RunSeries.addStepColumns: column ${name} has ${values.length} values for ${length} steps (run ${this.runId})`,
        );
    };
    check('time', columns.time);
    check('step', columns.step);
    check('epoch', columns.epoch);
    check('batch', columns.batch);
    check('loss', columns.loss);
    check('gradNorm', columns.gradNorm);
    check('learningRate', columns.learningRate);
    for (const name in columns.hyperparams) check(`hyperparams.${name}`, columns.hyperparams[name]!);
    if (!(from >= 0 && to <= length && from <= to))
      throw new RangeError(`RunSeries.addStepColumns: range [${from}, ${to}) is outside the ${length} steps`);
    for (let i = from + 1; i < to; i++)
      if (!(seqs[i]! > seqs[i - 1]!))
        throw new Error(
          `RunSeries.addStepColumns: seq must increase, entry ${i} has ${seqs[i]} after ${seqs[i - 1]} (run ${this.runId})`,
        );
    // The seqs increase: what was seen already is a prefix.
    let first = from;
    while (first < to && seqs[first]! <= this.lastSeq) first++;
    const count = to - first;
    if (count === 0) return 0;
    const n = this.steps.length;
    this.reserveSteps(count);
    // One pass writes every per-step column (a million steps: one loop for the JIT to compile,
    // not one per column); a column sent as one shared value is read as that value.
    const list = (values: number | readonly number[]) => (typeof values === 'number' ? undefined : values);
    const one = (values: number | readonly number[]) => (typeof values === 'number' ? values : 0);
    const stepA = list(columns.step);
    const timeA = list(columns.time);
    const lossA = list(columns.loss);
    const rateA = list(columns.learningRate);
    const normA = list(columns.gradNorm);
    const epochA = list(columns.epoch);
    const batchA = list(columns.batch);
    const stepV = one(columns.step);
    const timeV = one(columns.time);
    const lossV = one(columns.loss);
    const rateV = one(columns.learningRate);
    const normV = one(columns.gradNorm);
    const epochV = one(columns.epoch);
    const batchV = one(columns.batch);
    const steps = this.steps.data;
    const times = this.stepTimes.data;
    const seqOut = this.stepSeqs.data;
    const losses = this.losses.data;
    const rates = this.learningRates.data;
    const norms = this.gradNorms.data;
    const epochs = this.stepEpochs.data;
    const perEpoch = this.config?.batchesPerEpoch;
    let best = this.bestLoss;
    for (let i = 0; i < count; i++) {
      const j = first + i;
      const m = n + i;
      steps[m] = stepA === undefined ? stepV : stepA[j]!;
      times[m] = timeA === undefined ? timeV : timeA[j]!;
      seqOut[m] = seqs[j]!;
      const loss = lossA === undefined ? lossV : lossA[j]!;
      losses[m] = loss;
      if (loss < best) best = loss;
      rates[m] = rateA === undefined ? rateV : rateA[j]!;
      norms[m] = normA === undefined ? normV : normA[j]!;
      const e = epochA === undefined ? epochV : epochA[j]!;
      epochs[m] = perEpoch ? e + (batchA === undefined ? batchV : batchA[j]!) / perEpoch : e;
    }
    this.bestLoss = best;
    const copy = (column: GrowableArray, values: number | readonly number[]) =>
      copyColumn(column.data, n, values, first, count);
    // Hyperparameters other than the learning rate, as the object path keeps them: a column that
    // appears gets NaN before it, one that is absent here gets NaN for these steps.
    for (const name in columns.hyperparams) {
      if (name === 'learningRate') continue;
      let column = this.hyperparams.get(name);
      if (!column) {
        column = new GrowableArray(this.steps.data.length);
        column.data.fill(Number.NaN, 0, n);
        column.setLength(n);
        this.hyperparams.set(name, column);
      }
      copy(column, columns.hyperparams[name]!);
      column.setLength(n + count);
    }
    for (const [, column] of this.hyperparams)
      if (column.length === n) {
        column.data.fill(Number.NaN, n, n + count);
        column.setLength(n + count);
      }
    // The object path lists the names again for its next event.
    this.#lastHyperparams = undefined;
    for (const column of this.#stepColumns) column.setLength(n + count);
    const last = first + count - 1;
    this.lastSeq = seqs[last]!;
    this.epoch = epochA === undefined ? epochV : epochA[last]!;
    this.time = typeof columns.time === 'number' ? columns.time : columns.time[last]!;
    return count;
  }

  /** Makes room for `count` more steps in every per-step column. */
  reserveSteps(count: number): void {
    const capacity = this.steps.length + count;
    for (const column of this.#stepColumns) column.reserve(capacity);
    for (const [, column] of this.hyperparams) column.reserve(capacity);
  }

  /**
   * Inserts step events this run lacks (the exact events of a range whose history arrived
   * downsampled) into the step columns, in step order; steps already present are kept as they are.
   * Returns the number of steps inserted; `revision` changes when there was any.
   */
  mergeDetail(events: readonly TrainEvent[]): number {
    const incoming = events
      .filter((e): e is StepEvent => e.type === 'step' && e.runId === this.runId)
      .sort((a, b) => a.step - b.step);
    if (incoming.length === 0) return 0;
    const n = this.steps.length;
    const old = {
      steps: this.steps.toArray(),
      times: this.stepTimes.toArray(),
      seqs: this.stepSeqs.toArray(),
      losses: this.losses.toArray(),
      epochs: this.stepEpochs.toArray(),
      rates: this.learningRates.toArray(),
      norms: this.gradNorms.toArray(),
    };
    const oldHyper = [...this.hyperparams].map(([name, column]) => [name, column.toArray()] as const);
    const columns = [
      this.steps,
      this.stepTimes,
      this.stepSeqs,
      this.losses,
      this.stepEpochs,
      this.learningRates,
      this.gradNorms,
    ];
    for (const column of columns) column.setLength(0);
    for (const [, column] of this.hyperparams) column.setLength(0);
    const perEpoch = this.config?.batchesPerEpoch;
    let i = 0;
    let inserted = 0;
    const pushOld = () => {
      this.steps.push(old.steps[i]!);
      this.stepTimes.push(old.times[i]!);
      this.stepSeqs.push(old.seqs[i]!);
      this.losses.push(old.losses[i]!);
      this.stepEpochs.push(old.epochs[i]!);
      this.learningRates.push(old.rates[i]!);
      this.gradNorms.push(old.norms[i]!);
      for (const [name, values] of oldHyper) this.hyperparams.get(name)!.push(values[i]!);
      i++;
    };
    for (const event of incoming) {
      while (i < n && old.steps[i]! < event.step) pushOld();
      if (i < n && old.steps[i] === event.step) continue;
      if (this.steps.length > 0 && this.steps.last() === event.step) continue;
      this.steps.push(event.step);
      this.stepTimes.push(event.time);
      this.stepSeqs.push(event.seq);
      this.losses.push(event.loss);
      this.stepEpochs.push(perEpoch ? event.epoch + event.batch / perEpoch : event.epoch);
      this.learningRates.push(event.learningRate);
      this.gradNorms.push(event.gradNorm);
      for (const [name] of oldHyper) this.hyperparams.get(name)!.push(event.hyperparams[name] ?? Number.NaN);
      if (event.loss < this.bestLoss) this.bestLoss = event.loss;
      inserted++;
    }
    while (i < n) pushOld();
    if (inserted > 0) this.revision++;
    return inserted;
  }

  /** Steps per epoch, for an epoch x axis (undefined when the run has no loader). */
  get batchesPerEpoch(): number | undefined {
    return this.config?.batchesPerEpoch;
  }

  summary(): RunSummary {
    const config = this.config;
    const hyperparams: Record<string, number | string> = {};
    if (config) {
      for (const [key, value] of Object.entries(config.optimizer))
        if (key !== 'name' && (typeof value === 'number' || typeof value === 'string'))
          hyperparams[key] = value;
      if (config.batchSize !== undefined) hyperparams.batchSize = config.batchSize;
      hyperparams.seed = config.seed;
    }
    const name = config?.extra.name;
    const validation = this.validationLosses.last();
    return {
      runId: this.runId,
      name: typeof name === 'string' ? name : this.runId,
      status: this.status,
      optimizer: config?.optimizer.name ?? '',
      hyperparams,
      step: this.steps.length === 0 ? 0 : this.steps.last() + 1,
      epoch: this.epoch,
      loss: this.losses.last(),
      bestLoss: this.bestLoss === Number.POSITIVE_INFINITY ? Number.NaN : this.bestLoss,
      validationLoss: validation,
      learningRate: this.learningRates.last(),
      time: this.time,
    };
  }
}

/** Writes `count` values of a wire column from `from` (or one shared value) into `data` at `at`. */
function copyColumn(
  data: Float64Array,
  at: number,
  values: number | readonly number[],
  from: number,
  count: number,
): void {
  if (typeof values === 'number') {
    data.fill(values, at, at + count);
    return;
  }
  for (let i = 0; i < count; i++) data[at + i] = values[from + i]!;
}
