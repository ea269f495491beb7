import type { TrainEvent } from '@downhill/core';
import type { RunSummary } from '@downhill/protocol';
import type { DownsampleRange, EventRange, EventTexts, RunStore } from './run-store.js';

interface StoredEvent {
  readonly seq: number;
  readonly type: TrainEvent['type'];
  /** The step loss when finite, else undefined (like SQL NULL: ignored by min and max). */
  readonly loss: number | undefined;
  readonly json: string;
}

interface StoredRun {
  summary: RunSummary;
  /** Indexed by `seq`: a gap-free run is a dense array. */
  readonly events: StoredEvent[];
}

/**
 * `RunStore` in memory: nothing outlives the process. For tests, demos and servers that must not
 * write to disk; the same downsampling rule as `SqliteRunStore`, computed in JavaScript.
 */
export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, StoredRun>();

  saveRun(summary: RunSummary): void {
    const copy = structuredClone(summary);
    const run = this.runs.get(summary.runId);
    if (run) run.summary = copy;
    else this.runs.set(summary.runId, { summary: copy, events: [] });
  }

  appendEvents(summary: RunSummary, events: readonly TrainEvent[], texts: readonly string[]): void {
    this.saveRun(summary);
    const run = this.runs.get(summary.runId)!;
    events.forEach((event, i) => {
      if (run.events[event.seq] !== undefined) return;
      const loss = event.type === 'step' && Number.isFinite(event.loss) ? event.loss : undefined;
      run.events[event.seq] = { seq: event.seq, type: event.type, loss, json: texts[i]! };
    });
  }

  getRun(runId: string): RunSummary | undefined {
    const run = this.runs.get(runId);
    return run ? structuredClone(run.summary) : undefined;
  }

  listRuns(): RunSummary[] {
    return [...this.runs.values()]
      .map((run) => structuredClone(run.summary))
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  private range(runId: string, from: number, to: number): StoredEvent[] {
    const events = this.runs.get(runId)?.events ?? [];
    const out: StoredEvent[] = [];
    for (let seq = Math.max(0, from); seq <= Math.min(to, events.length - 1); seq++) {
      const event = events[seq];
      if (event) out.push(event);
    }
    return out;
  }

  readEvents(runId: string, range: EventRange): string[] {
    const events = this.range(runId, range.fromSeq, range.toSeq ?? Number.MAX_SAFE_INTEGER);
    const limited = range.limit === undefined ? events : events.slice(0, range.limit);
    return limited.map((event) => event.json);
  }

  readDownsampled(runId: string, range: DownsampleRange): EventTexts {
    const events = this.range(runId, range.fromSeq, range.toSeq ?? Number.MAX_SAFE_INTEGER);
    const steps = events.filter((event) => event.type === 'step');
    if (steps.length <= range.points) return { texts: events.map((event) => event.json), exact: true };
    const tail = Math.max(1, Math.floor(range.points / 4));
    const tailStart = steps[steps.length - tail]!.seq;
    const buckets = Math.max(1, Math.floor((range.points - tail) / 2));
    const from = range.fromSeq;
    const width = Math.max(1, Math.ceil((tailStart - from) / buckets));
    const lowest = new Map<number, StoredEvent>();
    const highest = new Map<number, StoredEvent>();
    const kept: StoredEvent[] = [];
    for (const event of events) {
      if (event.seq >= tailStart || event.type !== 'step') {
        kept.push(event);
        continue;
      }
      if (event.loss === undefined) continue;
      const bucket = Math.floor((event.seq - from) / width);
      const low = lowest.get(bucket);
      if (!low || event.loss < low.loss!) lowest.set(bucket, event);
      const high = highest.get(bucket);
      if (!high || event.loss > high.loss!) highest.set(bucket, event);
    }
    const chosen = new Set([...kept, ...lowest.values(), ...highest.values()]);
    const texts = [...chosen].sort((a, b) => a.seq - b.seq).map((event) => event.json);
    return { texts, exact: false };
  }

  *iterateEvents(runId: string): Iterable<string> {
    for (const event of this.runs.get(runId)?.events ?? []) if (event) yield event.json;
  }

  markLiveRunsInterrupted(): number {
    let count = 0;
    for (const run of this.runs.values()) {
      if (run.summary.status === 'running' || run.summary.status === 'paused') {
        run.summary.status = 'interrupted';
        count++;
      }
    }
    return count;
  }

  close(): void {
    this.runs.clear();
  }
}
