import { describe, expect, it } from 'vitest';
import { asha, ashaRungs } from './asha.js';

describe('ashaRungs', () => {
  it('puts rungs at min * eta^k below the max budget', () => {
    expect(ashaRungs({ minBudget: 1, maxBudget: 9, reductionFactor: 3 })).toEqual([1, 3]);
    expect(ashaRungs({ minBudget: 1, maxBudget: 10, reductionFactor: 3 })).toEqual([1, 3, 9]);
    expect(ashaRungs({ minBudget: 2, maxBudget: 100, reductionFactor: 4 })).toEqual([2, 8, 32]);
  });

  it('names a bad option', () => {
    expect(() => ashaRungs({ minBudget: 0, maxBudget: 9 })).toThrow(
      'asha: minBudget must be a positive number, got 0',
    );
    expect(() => ashaRungs({ minBudget: 3, maxBudget: 3 })).toThrow(
      'asha: maxBudget must be a number > minBudget (3)',
    );
    expect(() => ashaRungs({ minBudget: 1, maxBudget: 9, reductionFactor: 1 })).toThrow(
      'asha: reductionFactor must be > 1, got 1',
    );
  });
});

describe('asha', () => {
  it('keeps a trial only when it ranks in the top max(1, floor(n / eta)) of its rung so far', () => {
    // eta = 3, rungs at epochs 1 and 3 (max 9). Arrivals at rung 1, by hand:
    //   t0 0.50  n=1 keep 1: best [0.50]                 -> continue
    //   t1 0.60  n=2 keep 1: best [0.50]; 0.60 > 0.50    -> prune
    //   t2 0.30  n=3 keep 1: best [0.30]                 -> continue
    //   t3 0.40  n=4 keep 1: best [0.30]; 0.40 > 0.30    -> prune
    //   t4 0.20  n=5 keep 1: best [0.20]                 -> continue
    //   t5 0.70  n=6 keep 2: [0.20, 0.30]; 0.70 > 0.30   -> prune
    //   t6 0.35  n=7 keep 2: [0.20, 0.30]; 0.35 > 0.30   -> prune
    //   t7 0.25  n=8 keep 2: [0.20, 0.25]; 0.25 <= 0.25  -> continue (ties continue)
    //   t8 0.10  n=9 keep 3: [0.10, 0.20, 0.25]          -> continue
    // Interleaved with them, arrivals at rung 3 (only survivors get there):
    //   t0 0.45 (after t1)  n=1: continue
    //   t2 0.28 (after t5)  n=2 keep 1: [0.28]; continue
    //   t4 0.30 (after t6)  n=3 keep 1: [0.28]; 0.30 > 0.28 -> prune
    //   t7 0.15 (after t8)  n=4 keep 1: [0.15]; continue
    //   t8 0.09             n=5 keep 1: [0.09]; continue
    const reports: [string, number, number, 'continue' | 'prune'][] = [
      ['t0', 1, 0.5, 'continue'],
      ['t0', 2, 0.47, 'continue'],
      ['t1', 1, 0.6, 'prune'],
      ['t0', 3, 0.45, 'continue'],
      ['t2', 1, 0.3, 'continue'],
      ['t3', 1, 0.4, 'prune'],
      ['t4', 1, 0.2, 'continue'],
      ['t5', 1, 0.7, 'prune'],
      ['t2', 3, 0.28, 'continue'],
      ['t6', 1, 0.35, 'prune'],
      ['t4', 3, 0.3, 'prune'],
      ['t7', 1, 0.25, 'continue'],
      ['t8', 1, 0.1, 'continue'],
      ['t7', 3, 0.15, 'continue'],
      ['t0', 9, 0.4, 'continue'],
      ['t8', 3, 0.09, 'continue'],
    ];
    const scheduler = asha({ minBudget: 1, maxBudget: 9, reductionFactor: 3 });
    const state = scheduler.init();
    for (const [trialId, budget, score, action] of reports) {
      expect({ trialId, budget, action: scheduler.report(state, { trialId, budget, score }).action }).toEqual(
        {
          trialId,
          budget,
          action,
        },
      );
    }
    expect(state.rungs.map((r) => Object.keys(r.scores).sort())).toEqual([
      ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'],
      ['t0', 't2', 't4', 't7', 't8'],
    ]);
  });

  it('judges every rung a report passes, stops at the first that prunes, and ranks NaN last', () => {
    const scheduler = asha({ minBudget: 1, maxBudget: 27, reductionFactor: 3 });
    const state = scheduler.init();
    expect(scheduler.report(state, { trialId: 'a', budget: 1, score: 1 })).toEqual({
      action: 'continue',
      rung: 1,
    });
    expect(scheduler.report(state, { trialId: 'a', budget: 2, score: 1 })).toEqual({ action: 'continue' });
    // b jumps straight to epoch 5: recorded at rung 1 (n=2, keep 1: a's 1 beats 2) and pruned there.
    expect(scheduler.report(state, { trialId: 'b', budget: 5, score: 2 })).toEqual({
      action: 'prune',
      rung: 1,
    });
    expect(state.rungs[1]!.scores).toEqual({});
    // c jumps to 9 with the best score: continues at rungs 1, 3 and 9, recorded in each.
    expect(scheduler.report(state, { trialId: 'c', budget: 9, score: 0.5 })).toEqual({
      action: 'continue',
      rung: 9,
    });
    expect(state.rungs.map((r) => r.scores.c)).toEqual([0.5, 0.5, 0.5]);
    expect(scheduler.report(state, { trialId: 'd', budget: 1, score: Number.NaN })).toEqual({
      action: 'prune',
      rung: 1,
    });
  });
});
