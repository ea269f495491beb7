import type { RunStore, StepIndex, StoredEvent } from './run-store.js';

/** A range to downsample to about `points` step events. */
export interface DownsampleRange {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly points: number;
}

/** Events as the store keeps them, with whether step events were left out. */
export interface Downsampled {
  readonly events: StoredEvent[];
  readonly exact: boolean;
}

/**
 * Which step events a downsampled range keeps: the newest quarter of `points` exact (so a live
 * chart joins its history seamlessly), and before them the lowest and the highest loss of each
 * bucket of `seq` (min/max decimation keeps spikes and divergence visible). Returns the kept
 * `seq`s before `tailStart` and `tailStart` itself, or undefined when every step fits.
 */
export function chooseSteps(
  index: StepIndex,
  fromSeq: number,
  points: number,
): { readonly chosen: number[]; readonly tailStart: number } | undefined {
  const n = index.seqs.length;
  if (n <= points) return undefined;
  const tail = Math.max(1, Math.floor(points / 4));
  const tailStart = index.seqs[n - tail]!;
  const buckets = Math.max(1, Math.floor((points - tail) / 2));
  const width = Math.max(1, Math.ceil((tailStart - fromSeq) / buckets));
  const lowest = new Map<number, number>();
  const highest = new Map<number, number>();
  for (let i = 0; i < n - tail; i++) {
    const loss = index.losses[i]!;
    if (Number.isNaN(loss)) continue;
    const bucket = Math.floor((index.seqs[i]! - fromSeq) / width);
    const low = lowest.get(bucket);
    if (low === undefined || loss < index.losses[low]!) lowest.set(bucket, i);
    const high = highest.get(bucket);
    if (high === undefined || loss > index.losses[high]!) highest.set(bucket, i);
  }
  const chosen = [...new Set([...lowest.values(), ...highest.values()])]
    .sort((a, b) => a - b)
    .map((i) => index.seqs[i]!);
  return { chosen, tailStart };
}

/**
 * The step index of each recently read run, kept and extended rather than read again: the
 * first subscriber of a long run pays for reading its losses once, later ones (and the same one
 * after a reconnect) only for the new events. Bounded by `maxBytes`, least recently used first out.
 */
export class StepIndexCache {
  private readonly entries = new Map<string, { seqs: number[]; losses: number[]; through: number }>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: RunStore,
    private readonly maxEntries = 256 * 1024 * 16,
  ) {}

  /** The steps of `[fromSeq, toSeq]` (events up to `toSeq` must be committed). */
  read(runId: string, fromSeq: number, toSeq: number): Promise<StepIndex> {
    // One read per run at a time: two subscribers extending the same entry would append twice.
    const previous = this.queues.get(runId) ?? Promise.resolve();
    const next = previous.then(() => this.extendAndSlice(runId, fromSeq, toSeq));
    const settled = next.catch(() => {});
    this.queues.set(runId, settled);
    settled.then(() => {
      if (this.queues.get(runId) === settled) this.queues.delete(runId);
    });
    return next;
  }

  /** Forget a run (deleted). */
  drop(runId: string): void {
    this.entries.delete(runId);
  }

  private async extendAndSlice(runId: string, fromSeq: number, toSeq: number): Promise<StepIndex> {
    let entry = this.entries.get(runId);
    if (entry) this.entries.delete(runId); // re-inserted below: most recently used last
    entry ??= { seqs: [], losses: [], through: -1 };
    if (toSeq > entry.through) {
      const more = await this.store.readStepIndex(runId, entry.through + 1, toSeq);
      for (let i = 0; i < more.seqs.length; i++) {
        entry.seqs.push(more.seqs[i]!);
        entry.losses.push(more.losses[i]!);
      }
      entry.through = toSeq;
    }
    this.entries.set(runId, entry);
    this.evict();
    const lo = lowerBound(entry.seqs, fromSeq);
    const hi = lowerBound(entry.seqs, toSeq + 1);
    return {
      seqs: Float64Array.from(entry.seqs.slice(lo, hi)),
      losses: Float64Array.from(entry.losses.slice(lo, hi)),
    };
  }

  private evict(): void {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.seqs.length;
    for (const [runId, entry] of this.entries) {
      if (total <= this.maxEntries || this.entries.size === 1) return;
      total -= entry.seqs.length;
      this.entries.delete(runId);
    }
  }
}

/** Reads a range downsampled to about `points` step events (see `chooseSteps`); every non-step event is kept. */
export async function readDownsampled(
  store: RunStore,
  cache: StepIndexCache,
  runId: string,
  range: DownsampleRange,
): Promise<Downsampled> {
  const { fromSeq, toSeq, points } = range;
  const index = await cache.read(runId, fromSeq, toSeq);
  const choice = chooseSteps(index, fromSeq, points);
  if (!choice) return { events: await store.readEvents(runId, { fromSeq, toSeq }), exact: true };
  const [nonSteps, steps, tail] = await Promise.all([
    store.readEvents(runId, { fromSeq, toSeq: choice.tailStart - 1, nonStepOnly: true }),
    store.readEventsAt(runId, choice.chosen),
    store.readEvents(runId, { fromSeq: choice.tailStart, toSeq }),
  ]);
  const head = nonSteps.concat(steps).sort((a, b) => a.seq - b.seq);
  return { events: head.concat(tail), exact: false };
}

function lowerBound(values: readonly number[], target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
