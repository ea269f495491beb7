import type { StepEvent, TrainEvent } from '@downhill/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDownsampled, StepIndexCache } from './downsample.js';
import { MemoryRunStore } from './memory-run-store.js';
import { newSummary } from './summarize-event.js';
import { rowOf, runEvents } from './test-events.js';

async function storeWith(
  losses: readonly number[],
): Promise<{ store: MemoryRunStore; events: TrainEvent[] }> {
  const store = new MemoryRunStore();
  const events = runEvents('r', losses);
  await store.commit([
    { summary: newSummary('r', 'local', {}, 0), rows: events.map((event) => rowOf(event)) },
  ]);
  return { store, events };
}

/**
 * The rule written out plainly over the whole event list (the first wave's in-memory version):
 * an oracle for `chooseSteps`, which works on the step index.
 */
function bruteForce(events: readonly TrainEvent[], fromSeq: number, points: number): number[] {
  const inRange = events.filter((event) => event.seq >= fromSeq);
  const steps = inRange.filter((event): event is StepEvent => event.type === 'step');
  if (steps.length <= points) return inRange.map((event) => event.seq);
  const tail = Math.max(1, Math.floor(points / 4));
  const tailStart = steps[steps.length - tail]!.seq;
  const width = Math.max(1, Math.ceil((tailStart - fromSeq) / Math.max(1, Math.floor((points - tail) / 2))));
  const kept = new Set<number>();
  const low = new Map<number, StepEvent>();
  const high = new Map<number, StepEvent>();
  for (const event of inRange) {
    if (event.seq >= tailStart || event.type !== 'step') kept.add(event.seq);
    else if (Number.isFinite(event.loss)) {
      const bucket = Math.floor((event.seq - fromSeq) / width);
      if (!low.has(bucket) || event.loss < low.get(bucket)!.loss) low.set(bucket, event);
      if (!high.has(bucket) || event.loss > high.get(bucket)!.loss) high.set(bucket, event);
    }
  }
  for (const event of [...low.values(), ...high.values()]) kept.add(event.seq);
  return [...kept].sort((a, b) => a - b);
}

describe('readDownsampled: the one downsampling policy, over any store', () => {
  it('keeps spikes and dips, every non-step event and an exact tail', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 300, max: 3000 }),
        fc.integer({ min: 16, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (length, points, spikeAt, dipAt) => {
          const losses = Array.from({ length }, (_, i) => 1 + 0.1 * Math.sin(i / 7));
          const spike = Math.floor(spikeAt * (length - 1));
          const dip = Math.floor(dipAt * (length - 1));
          losses[spike] = 1000;
          if (dip !== spike) losses[dip] = -1000;
          const { store, events } = await storeWith(losses);
          const last = events[events.length - 1]!.seq;
          const cache = new StepIndexCache(store);
          const { events: kept, exact } = await readDownsampled(store, cache, 'r', {
            fromSeq: 0,
            toSeq: last,
            points,
          });
          const sampled = kept.map((event) => JSON.parse(event.text) as TrainEvent);
          const steps = sampled.filter((event): event is StepEvent => event.type === 'step');
          expect(exact).toBe(length <= points);
          expect(steps.length).toBeLessThanOrEqual(points);
          expect(steps.some((event) => event.loss === 1000)).toBe(true);
          if (dip !== spike) expect(steps.some((event) => event.loss === -1000)).toBe(true);
          expect(sampled.some((event) => event.type === 'hyperparam')).toBe(true);
          const tail = Math.floor(points / 4);
          const allSteps = events.filter((event) => event.type === 'step');
          expect(steps.slice(-tail).map((e) => e.seq)).toEqual(allSteps.slice(-tail).map((e) => e.seq));
          for (let i = 1; i < sampled.length; i++)
            expect(sampled[i]!.seq).toBeGreaterThan(sampled[i - 1]!.seq);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('chooses exactly the events of the rule written out over the whole list, also through a warm cache', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 20, maxLength: 2000 }),
        fc.integer({ min: 16, max: 300 }),
        fc.nat(50),
        async (losses, points, fromSeq) => {
          const distinct = losses.map((loss, i) => loss + i * 1e-9);
          const { store, events } = await storeWith(distinct);
          const last = events[events.length - 1]!.seq;
          const cache = new StepIndexCache(store);
          // Warm the cache with a shorter prefix first: the extension must give the same answer.
          await readDownsampled(store, cache, 'r', { fromSeq: 0, toSeq: Math.floor(last / 2), points });
          const { events: kept } = await readDownsampled(store, cache, 'r', { fromSeq, toSeq: last, points });
          expect(kept.map((event) => event.seq)).toEqual(bruteForce(events, fromSeq, points));
        },
      ),
      { numRuns: 60 },
    );
  });
});
