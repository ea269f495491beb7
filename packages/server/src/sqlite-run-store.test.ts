import type { StepEvent, TrainEvent } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryRunStore } from './memory-run-store.js';
import { SqliteRunStore } from './sqlite-run-store.js';
import { newSummary } from './summarize-event.js';

function stepEvent(runId: string, seq: number, loss: number): StepEvent {
  return {
    type: 'step',
    runId,
    seq,
    time: seq,
    step: seq - 1,
    epoch: 0,
    batch: 0,
    loss,
    gradNorm: 1,
    learningRate: 0.1,
    hyperparams: {},
  };
}

function fill(
  store: SqliteRunStore | MemoryRunStore,
  runId: string,
  losses: readonly number[],
): TrainEvent[] {
  const summary = newSummary(runId, 'local', {}, 0);
  const events: TrainEvent[] = losses.map((loss, i) => stepEvent(runId, i + 1, loss));
  // A non-step event in the middle (a learning-rate change) must always survive.
  const middle = Math.floor(events.length / 2);
  events.splice(middle, 0, {
    type: 'hyperparam',
    runId,
    seq: 0,
    time: 0,
    step: 0,
    name: 'learningRate',
    value: 1,
    previous: undefined,
    source: 'test',
  });
  const renumbered = events.map((event, seq) => ({ ...event, seq }));
  store.appendEvents(
    summary,
    renumbered,
    renumbered.map((event) => JSON.stringify(event)),
  );
  return renumbered;
}

describe('SqliteRunStore', () => {
  it('keeps two runs apart and reads ranges by seq', () => {
    const store = new SqliteRunStore(':memory:');
    fill(store, 'a', [3, 2, 1]);
    fill(store, 'b', [9, 8]);
    const seqs = (texts: string[]) => texts.map((text) => (JSON.parse(text) as TrainEvent).seq);
    expect(seqs(store.readEvents('a', { fromSeq: 0 }))).toEqual([0, 1, 2, 3]);
    expect(seqs(store.readEvents('b', { fromSeq: 1, toSeq: 1 }))).toEqual([1]);
    expect(seqs(store.readEvents('a', { fromSeq: 1, limit: 2 }))).toEqual([1, 2]);
    expect(store.readEvents('nope', { fromSeq: 0 })).toEqual([]);
    expect([...store.iterateEvents('b')]).toHaveLength(3);
    store.close();
  });

  it('stores every event of a batch of any length once, in order, in multi-row inserts and one-row tails', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
        fc.nat(40),
        (batchLengths, overlap) => {
          const store = new SqliteRunStore(':memory:');
          const summary = newSummary('r', 'local', {}, 0);
          const expected: string[] = [];
          let next = 0;
          for (const length of batchLengths) {
            // A resent prefix (after a publisher reconnects) is ignored: the first copy stays.
            const from = Math.max(0, next - overlap);
            const events = Array.from({ length: next - from + length }, (_, i) =>
              stepEvent('r', from + i, from + i === next ? Number.NaN : (from + i) / 7),
            );
            // Each batch's texts are marked, to tell which copy of a resent event was kept.
            const texts = events.map((event) => JSON.stringify({ ...event, batch: next }));
            store.appendEvents(summary, events, texts);
            expected.push(...texts.slice(next - from));
            next += length;
          }
          expect(store.readEvents('r', { fromSeq: 0 })).toEqual(expected);
          expect([...store.iterateEvents('r')]).toEqual(expected);
          store.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a seq past 2^32 and stores nothing of that batch', () => {
    const store = new SqliteRunStore(':memory:');
    const summary = newSummary('r', 'local', {}, 0);
    const events = Array.from({ length: 40 }, (_, i) => stepEvent('r', i === 35 ? 2 ** 32 : i, 1));
    expect(() =>
      store.appendEvents(
        summary,
        events,
        events.map((event) => JSON.stringify(event)),
      ),
    ).toThrow(/over the store's limit of 2\^32/);
    expect(store.readEvents('r', { fromSeq: 0 })).toEqual([]);
    store.close();
  });

  it('downsamples with min/max per bucket: spikes and dips survive, non-step events stay, the tail is exact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 3000 }),
        fc.integer({ min: 16, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (length, points, spikeAt, dipAt) => {
          const store = new SqliteRunStore(':memory:');
          const losses = Array.from({ length }, (_, i) => 1 + 0.1 * Math.sin(i / 7));
          const spike = Math.floor(spikeAt * (length - 1));
          const dip = Math.floor(dipAt * (length - 1));
          losses[spike] = 1000;
          if (dip !== spike) losses[dip] = -1000;
          const events = fill(store, 'r', losses);
          const { texts, exact } = store.readDownsampled('r', { fromSeq: 0, points });
          const sampled = texts.map((text) => JSON.parse(text) as TrainEvent);
          const steps = sampled.filter((event): event is StepEvent => event.type === 'step');
          expect(exact).toBe(length <= points);
          expect(steps.length).toBeLessThanOrEqual(points);
          expect(steps.some((event) => event.loss === 1000)).toBe(true);
          if (dip !== spike) expect(steps.some((event) => event.loss === -1000)).toBe(true);
          expect(sampled.some((event) => event.type === 'hyperparam')).toBe(true);
          const allSteps = events.filter((event) => event.type === 'step');
          const tail = Math.floor(points / 4);
          expect(steps.slice(-tail).map((e) => e.seq)).toEqual(allSteps.slice(-tail).map((e) => e.seq));
          for (let i = 1; i < sampled.length; i++)
            expect(sampled[i]!.seq).toBeGreaterThan(sampled[i - 1]!.seq);
          store.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('marks runs that were live as interrupted', () => {
    const store = new SqliteRunStore(':memory:');
    store.saveRun(newSummary('live', 'local', {}, 1));
    store.saveRun({ ...newSummary('done', 'local', {}, 2), status: 'ended', endReason: 'completed' });
    expect(store.markLiveRunsInterrupted()).toBe(1);
    expect(store.getRun('live')?.status).toBe('interrupted');
    expect(store.getRun('done')?.status).toBe('ended');
    expect(store.listRuns().map((run) => run.runId)).toEqual(['done', 'live']);
    store.close();
  });

  it('downsamples exactly as the in-memory store, an independent implementation of the same rule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 20, maxLength: 2000 }),
        fc.integer({ min: 16, max: 300 }),
        fc.nat(50),
        (losses, points, fromSeq) => {
          // Distinct losses: with ties either store may pick a different row of equal loss.
          const distinct = losses.map((loss, i) => loss + i * 1e-9);
          const sqlite = new SqliteRunStore(':memory:');
          const memory = new MemoryRunStore();
          fill(sqlite, 'r', distinct);
          fill(memory, 'r', distinct);
          const range = { fromSeq, points };
          expect(sqlite.readDownsampled('r', range)).toEqual(memory.readDownsampled('r', range));
          expect(sqlite.readEvents('r', { fromSeq, limit: 7 })).toEqual(
            memory.readEvents('r', { fromSeq, limit: 7 }),
          );
          sqlite.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
