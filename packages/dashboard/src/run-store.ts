import type { TrainEvent } from '@downhill/core';
import type { StepColumns } from '@downhill/protocol';
import { RunSeries } from './run-series.js';
import type { RunSummary } from './run-summary.js';

/**
 * A batch of one run's events as the wire carries it: `steps` holds step events in columns
 * (`@downhill/client`'s `events(runId, { stepColumns: true })` hands them over so), `events`
 * the others; together they are in `seq` order.
 */
export interface RunEventBatch {
  readonly runId: string;
  readonly events: readonly TrainEvent[];
  readonly steps?: StepColumns | undefined;
}

/** What a `RunStoreFeed` takes: events one by one, or whole batches with their steps in columns. */
export type RunStoreInput = TrainEvent | RunEventBatch;

/** Every run's `RunSeries`, keyed by run id, in the order runs first appeared. */
export class RunStore {
  readonly #runs = new Map<string, RunSeries>();
  /** Bumped on every accepted event, so views can tell whether to redraw. */
  version = 0;
  /** Bumped by `clear`: views drop what they derived from the runs (smoothing, pyramids). */
  generation = 0;

  add(event: TrainEvent): void {
    if (this.#series(event.runId).add(event)) this.version++;
  }

  /**
   * Adds a batch, reserving room for its steps first: a million-event history then costs one
   * allocation per column instead of twenty doublings (each of which can trigger a full GC while
   * the events themselves are still alive). Consecutive events of one run (how histories and
   * live batches come) find their run without a lookup each.
   */
  addAll(events: readonly TrainEvent[]): void {
    const first = events[0];
    if (events.length > 1024 && first?.runId === events[events.length - 1]!.runId) {
      // Most likely one run's history: room for all of it, without a pass over a million objects
      // to count its steps (room for a few non-step events too many costs nothing).
      this.#series(first.runId).reserveSteps(events.length);
    } else if (events.length > 1024) {
      // Step counts per run, added up a stretch of consecutive events at a time.
      const counts = new Map<string, number>();
      let runId: string | undefined;
      let count = 0;
      for (let i = 0; i <= events.length; i++) {
        const event = events[i];
        if (event === undefined || event.runId !== runId) {
          if (runId !== undefined && count > 0) counts.set(runId, (counts.get(runId) ?? 0) + count);
          runId = event?.runId;
          count = 0;
        }
        if (event?.type === 'step') count++;
      }
      for (const [id, steps] of counts) this.#series(id).reserveSteps(steps);
    }
    let series: RunSeries | undefined;
    let accepted = 0;
    for (let i = 0; i < events.length; ) {
      const event = events[i]!;
      if (series === undefined || series.runId !== event.runId) series = this.#series(event.runId);
      if (event.type !== 'step') {
        if (series.add(event)) accepted++;
        i++;
        continue;
      }
      // A stretch of this run's step events goes into its columns in one call.
      let end = i + 1;
      while (end < events.length && events[end]!.type === 'step' && events[end]!.runId === event.runId) end++;
      accepted += series.addSteps(events, i, end);
      i = end;
    }
    this.version += accepted;
  }

  /**
   * Adds a batch whose step events come in columns: they go into the run's columns without an
   * object per step, the other events in their place by `seq`.
   */
  addBatch(batch: RunEventBatch): void {
    const { runId, events, steps } = batch;
    if (!steps || steps.seq.length === 0) {
      this.addAll(events);
      return;
    }
    for (let i = 0; i < events.length; i++)
      if (events[i]!.runId !== runId)
        throw new Error(
          `RunStore.addBatch: event ${i} is of run ${events[i]!.runId}, the batch of run ${runId}`,
        );
    const series = this.#series(runId);
    const seqs = steps.seq;
    let accepted = 0;
    let k = 0;
    for (const event of events) {
      let end = k;
      while (end < seqs.length && seqs[end]! < event.seq) end++;
      if (end > k) accepted += series.addStepColumns(steps, k, end);
      k = end;
      if (series.add(event)) accepted++;
    }
    if (k < seqs.length) accepted += series.addStepColumns(steps, k, seqs.length);
    this.version += accepted;
  }

  /** Adds events and batches in order (what a `RunStoreFeed` gathered in a frame). */
  addItems(items: readonly RunStoreInput[]): void {
    let batches = false;
    for (let i = 0; i < items.length && !batches; i++) batches = !('type' in items[i]!);
    if (!batches) {
      this.addAll(items as readonly TrainEvent[]);
      return;
    }
    let events: TrainEvent[] = [];
    for (const item of items) {
      if ('type' in item) {
        events.push(item);
        continue;
      }
      if (events.length > 0) this.addAll(events);
      events = [];
      this.addBatch(item);
    }
    if (events.length > 0) this.addAll(events);
  }

  #series(runId: string): RunSeries {
    let series = this.#runs.get(runId);
    if (!series) {
      series = new RunSeries(runId);
      this.#runs.set(runId, series);
    }
    return series;
  }

  /** Inserts the exact step events of a range into their runs (see `RunSeries.mergeDetail`). */
  mergeDetail(events: readonly TrainEvent[]): number {
    const byRun = new Map<string, TrainEvent[]>();
    for (const event of events) {
      let list = byRun.get(event.runId);
      if (!list) byRun.set(event.runId, (list = []));
      list.push(event);
    }
    let inserted = 0;
    for (const [runId, list] of byRun) inserted += this.#runs.get(runId)?.mergeDetail(list) ?? 0;
    if (inserted > 0) this.version++;
    return inserted;
  }

  get(runId: string): RunSeries | undefined {
    return this.#runs.get(runId);
  }

  /** Runs in arrival order; only the given ids (in that order) when `ids` is set. */
  runs(ids?: readonly string[]): RunSeries[] {
    if (!ids) return [...this.#runs.values()];
    const out: RunSeries[] = [];
    for (const id of ids) {
      const series = this.#runs.get(id);
      if (series) out.push(series);
    }
    return out;
  }

  summaries(): RunSummary[] {
    return this.runs().map((series) => series.summary());
  }

  clear(): void {
    this.#runs.clear();
    this.version++;
    this.generation++;
  }
}
