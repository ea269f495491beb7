import type { RunSummary } from '@downhill/protocol';
import type { EventRange, EventRow, RunStore, RunWrite, StepIndex, StoredEvent } from './run-store.js';

interface StoredRun {
  summary: RunSummary;
  /** In `seq` order (appends only ever add higher ones). */
  readonly events: EventRow[];
}

/** `RunStore` in memory: nothing outlives the process. For tests, demos and servers that must not write to disk. */
export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, StoredRun>();

  async listRuns(): Promise<RunSummary[]> {
    return [...this.runs.values()]
      .map((run) => structuredClone(run.summary))
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const run = this.runs.get(runId);
    return run ? structuredClone(run.summary) : undefined;
  }

  async saveRun(summary: RunSummary): Promise<void> {
    this.save(summary);
  }

  private save(summary: RunSummary): StoredRun {
    const copy = structuredClone(summary);
    let run = this.runs.get(summary.runId);
    if (run) run.summary = copy;
    else this.runs.set(summary.runId, (run = { summary: copy, events: [] }));
    return run;
  }

  async commit(writes: readonly RunWrite[]): Promise<void> {
    for (const { summary, rows } of writes) {
      const run = this.save(summary);
      for (const row of rows) {
        const last = run.events[run.events.length - 1];
        if (!last || row.seq > last.seq) run.events.push(row);
      }
    }
  }

  async readEvents(runId: string, range: EventRange): Promise<StoredEvent[]> {
    const events = this.runs.get(runId)?.events ?? [];
    const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
    const out: StoredEvent[] = [];
    for (let i = firstAtOrAfter(events, range.fromSeq); i < events.length; i++) {
      const row = events[i]!;
      if (row.seq > to || (range.limit !== undefined && out.length >= range.limit)) break;
      if (range.nonStepOnly && row.type === 'step') continue;
      out.push({ seq: row.seq, text: row.text });
    }
    return out;
  }

  async readEventsAt(runId: string, seqs: readonly number[]): Promise<StoredEvent[]> {
    const events = this.runs.get(runId)?.events ?? [];
    const out: StoredEvent[] = [];
    for (const seq of seqs) {
      const row = events[firstAtOrAfter(events, seq)];
      if (row?.seq === seq) out.push({ seq, text: row.text });
    }
    return out;
  }

  async readStepIndex(runId: string, fromSeq: number, toSeq: number): Promise<StepIndex> {
    const seqs: number[] = [];
    const losses: number[] = [];
    const events = this.runs.get(runId)?.events ?? [];
    for (let i = firstAtOrAfter(events, fromSeq); i < events.length && events[i]!.seq <= toSeq; i++) {
      const row = events[i]!;
      if (row.type !== 'step') continue;
      seqs.push(row.seq);
      losses.push(row.loss ?? Number.NaN);
    }
    return { seqs: Float64Array.from(seqs), losses: Float64Array.from(losses) };
  }

  async deleteRun(runId: string): Promise<boolean> {
    return this.runs.delete(runId);
  }

  async markLiveRunsInterrupted(): Promise<number> {
    let count = 0;
    for (const run of this.runs.values()) {
      if (run.summary.status === 'running' || run.summary.status === 'paused') {
        run.summary.status = 'interrupted';
        count++;
      }
    }
    return count;
  }

  async close(): Promise<void> {
    this.runs.clear();
  }
}

function firstAtOrAfter(events: readonly EventRow[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
