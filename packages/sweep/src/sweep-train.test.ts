import { type Batch, type Loader, matrix, type Objective, type Optimizer, train } from '@downhill/core';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { asha } from './asha.js';
import { categorical } from './categorical.js';
import { gridSampler } from './grid-sampler.js';
import { sweep } from './sweep.js';

// y = 2x on 40 points in [-1, 1], 4 batches of 10 an epoch: small enough to count every call.
const xs = Array.from({ length: 40 }, (_, i) => -1 + (2 * i) / 39);
const X = Float64Array.from(xs);
const Y = Float64Array.from(xs.map((x) => 2 * x));
const loader: Loader<Batch> = {
  batchesPerEpoch: 4,
  samples: 40,
  batchSize: 10,
  *epoch() {
    for (let s = 0; s < 40; s += 10)
      yield { x: matrix(X.subarray(s, s + 10), 10, 1), y: matrix(Y.subarray(s, s + 10), 10, 1) };
  },
};

/** Least squares on one weight, counting its gradient evaluations per trial. */
function counted(calls: number[], trial: number): Objective<Batch> {
  return {
    dimension: 1,
    loss(w, { x, y }, grad) {
      calls[trial]!++;
      let total = 0;
      let g = 0;
      for (let r = 0; r < x.rows; r++) {
        const err = x.data[r]! * w[0]! - y.data[r]!;
        total += 0.5 * err * err;
        g += (err * x.data[r]!) / x.rows;
      }
      if (grad) grad[0] = g;
      return total / x.rows;
    },
  };
}

function plainSgd(learningRate: number): Optimizer<null> {
  return {
    name: 'sgd',
    settable: [],
    init: () => null,
    update(updates, _state, _params, ctx) {
      ctx.current.learningRate = learningRate;
      for (let i = 0; i < updates.length; i++) updates[i] = -learningRate * updates[i]!;
    },
    describe: () => ({ name: 'sgd', learningRate }),
  };
}

describe('sweep over train()', () => {
  it('a pruned run stops training at the epoch it was pruned', async () => {
    const learningRates = [0.5, 1e-4, 1e-5];
    const calls = [0, 0, 0];
    const events = await lastValueFrom(
      sweep({
        space: { learningRate: categorical(learningRates) },
        sampler: gridSampler(),
        trials: 3,
        scheduler: asha({ minBudget: 1, maxBudget: 9, reductionFactor: 3 }),
        objective: (config, control) =>
          train({
            objective: counted(calls, control.index),
            optimizer: plainSgd(config.learningRate as number),
            params: [0],
            loader,
            epochs: 9,
            runId: control.trialId,
          }),
      }).pipe(toArray()),
    );
    // Rung 1: trial 0 (lr 0.5) is nearly converged after an epoch; trials 1 and 2 have hardly
    // moved from w = 0, so each ranks last of the n <= 3 results there (keep 1) and is pruned.
    const outcome = events.filter((e) => e.type === 'trial-pruned' || e.type === 'trial-complete');
    expect(outcome.map((e) => [e.type, e.index])).toEqual([
      ['trial-complete', 0],
      ['trial-pruned', 1],
      ['trial-pruned', 2],
    ]);
    // 4 steps an epoch: 9 epochs for the completed trial, exactly 1 epoch for the pruned ones.
    expect(calls).toEqual([36, 4, 4]);
    const steps = (i: number) =>
      events.filter((e) => e.type === 'trial-event' && e.index === i && e.event.type === 'step').length;
    expect([steps(0), steps(1), steps(2)]).toEqual([36, 4, 4]);
  });

  it('unsubscribing the sweep stops every running train()', async () => {
    const calls = [0, 0, 0];
    const source = sweep({
      space: { learningRate: categorical([0.1, 0.2, 0.3]) },
      sampler: gridSampler(),
      trials: 3,
      concurrency: 2,
      objective: (config, control) =>
        train({
          objective: counted(calls, control.index),
          optimizer: plainSgd(config.learningRate as number),
          params: [0],
          loader,
          epochs: 1_000_000,
          sliceMs: 1,
        }),
    });
    // Unsubscribes once trial 1 has taken its 200th step.
    await firstValueFrom(
      source.pipe(
        filter(
          (e) => e.type === 'trial-event' && e.index === 1 && e.event.type === 'step' && e.event.step === 199,
        ),
      ),
    );
    const atStop = [...calls];
    expect(atStop[0]).toBeGreaterThan(0);
    expect(atStop[1]).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Neither running trial took another step, and the third never started.
    expect(calls).toEqual(atStop);
    expect(calls[2]).toBe(0);
  });
});
