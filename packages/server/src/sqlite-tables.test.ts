import type { TrainEvent } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRunStore } from './memory-run-store.js';
import { SqliteTables } from './sqlite-tables.js';
import { newSummary } from './summarize-event.js';
import { rowOf, runEvents, stepEvent } from './test-events.js';

function fill(tables: SqliteTables, runId: string, losses: readonly number[]): TrainEvent[] {
  const events = runEvents(runId, losses);
  tables.commit([{ summary: newSummary(runId, 'local', {}, 0), rows: events.map((event) => rowOf(event)) }]);
  return events;
}

describe('SqliteTables (the SQL behind SqliteRunStore)', () => {
  it('keeps two runs apart and reads ranges by seq', () => {
    const tables = new SqliteTables(':memory:');
    fill(tables, 'a', [3, 2, 1]);
    fill(tables, 'b', [9, 8]);
    const seqs = (events: { seq: number }[]) => events.map((event) => event.seq);
    expect(seqs(tables.readEvents('a', { fromSeq: 0 }))).toEqual([0, 1, 2, 3]);
    expect(seqs(tables.readEvents('b', { fromSeq: 1, toSeq: 1 }))).toEqual([1]);
    expect(seqs(tables.readEvents('a', { fromSeq: 1, limit: 2 }))).toEqual([1, 2]);
    expect(seqs(tables.readEvents('a', { fromSeq: 0, nonStepOnly: true }))).toEqual([1]);
    expect(seqs(tables.readEventsAt('a', [0, 2, 7]))).toEqual([0, 2]);
    expect(tables.readEvents('nope', { fromSeq: 0 })).toEqual([]);
    const index = tables.readStepIndex('a', 0, 10);
    expect([...index.seqs]).toEqual([0, 2, 3]);
    expect([...index.losses]).toEqual([3, 2, 1]);
    tables.close();
  });

  it('stores every event of a batch of any length once, in order, gaps and resent prefixes included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.nat(40),
        fc.nat(3),
        (batchLengths, overlap, gap) => {
          const tables = new SqliteTables(':memory:');
          const summary = newSummary('r', 'local', {}, 0);
          const expected: string[] = [];
          let next = 0;
          for (const length of batchLengths) {
            // A resent prefix (after a publisher reconnects) is ignored: the first copy stays.
            const from = Math.max(0, next - overlap);
            const events = Array.from({ length: next - from + length }, (_, i) =>
              stepEvent('r', (from + i) * (gap + 1), from + i === next ? Number.NaN : (from + i) / 7),
            );
            // Each batch's texts are marked, to tell which copy of a resent event was kept.
            const rows = events.map((event) => rowOf(event, JSON.stringify({ ...event, batch: next })));
            tables.commit([{ summary, rows }]);
            expected.push(...rows.slice(next - from).map((row) => row.text));
            next += length;
          }
          expect(tables.readEvents('r', { fromSeq: 0 }).map((event) => event.text)).toEqual(expected);
          tables.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a seq past 2^32 and stores nothing of that commit', () => {
    const tables = new SqliteTables(':memory:');
    const summary = newSummary('r', 'local', {}, 0);
    const events = Array.from({ length: 40 }, (_, i) => stepEvent('r', i === 35 ? 2 ** 32 : i, 1));
    expect(() => tables.commit([{ summary, rows: events.map((event) => rowOf(event)) }])).toThrow(
      /over the store's limit of 2\^32/,
    );
    expect(tables.readEvents('r', { fromSeq: 0 })).toEqual([]);
    expect(tables.getRun('r')).toBeUndefined();
    tables.close();
  });

  it('marks runs that were live as interrupted, and deletes a run with its events', () => {
    const tables = new SqliteTables(':memory:');
    tables.saveRun(newSummary('live', 'local', {}, 1));
    tables.saveRun({ ...newSummary('done', 'local', {}, 2), status: 'ended', endReason: 'completed' });
    fill(tables, 'gone', [1, 2]);
    expect(tables.markLiveRunsInterrupted()).toBe(2);
    expect(tables.getRun('live')?.status).toBe('interrupted');
    expect(tables.getRun('done')?.status).toBe('ended');
    expect(tables.deleteRun('gone')).toBe(true);
    expect(tables.deleteRun('gone')).toBe(false);
    expect(tables.readEvents('gone', { fromSeq: 0 })).toEqual([]);
    expect(tables.listRuns().map((run) => run.runId)).toEqual(['done', 'live']);
    tables.close();
  });

  it('answers every read as the in-memory store does, an independent implementation', async () => {
    await fc.assert(
      fc.asyncProperty(
        // `+ 0`: SQLite keeps -0 as 0 (a loss of -0 is not a case worth a column type).
        fc.array(
          fc.double({ min: -100, max: 100, noNaN: true }).map((x) => x + 0),
          { minLength: 1, maxLength: 500 },
        ),
        fc.nat(50),
        fc.nat(600),
        async (losses, fromSeq, toSeq) => {
          const tables = new SqliteTables(':memory:');
          const memory = new MemoryRunStore();
          const events = fill(tables, 'r', losses);
          await memory.commit([
            { summary: newSummary('r', 'local', {}, 0), rows: events.map((e) => rowOf(e)) },
          ]);
          for (const range of [
            { fromSeq, limit: 7 },
            { fromSeq, toSeq },
            { fromSeq, nonStepOnly: true },
          ]) {
            expect(tables.readEvents('r', range)).toEqual(await memory.readEvents('r', range));
          }
          expect(tables.readStepIndex('r', fromSeq, toSeq)).toEqual(
            await memory.readStepIndex('r', fromSeq, toSeq),
          );
          const at = [fromSeq, fromSeq + 3, toSeq];
          expect(tables.readEventsAt('r', at)).toEqual(await memory.readEventsAt('r', at));
          tables.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('opened read-only, never creates a file and refuses writes', () => {
    expect(() => new SqliteTables('/nonexistent-dir/runs.sqlite', { readOnly: true })).toThrow(
      /no run store at \/nonexistent-dir\/runs.sqlite/,
    );
  });
});
