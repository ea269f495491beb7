import { type TrainEvent, train } from '@downhill/core';
import { lastValueFrom, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Config } from './domain.js';
import { logUniform } from './log-uniform.js';
import { breastCancer, logistic, momentumSgd, shuffled, whole } from './node/test-trials.js';
import { type PbtControl, pbt } from './pbt.js';
import { randomSampler } from './random-sampler.js';
import { sweep, type TrialControl } from './sweep.js';
import type { SweepEvent } from './sweep-event.js';
import { uniform } from './uniform.js';

const EPOCHS = 12;
const space = {
  learningRate: logUniform({ low: 1e-4, high: 1e-2 }),
  momentum: uniform({ low: 0, high: 0.9 }),
};

function member(
  config: Config,
  control: TrialControl,
  extra: Partial<PbtControl['train']>,
): Observable<TrainEvent> {
  const data = breastCancer();
  return train({
    objective: logistic(),
    optimizer: momentumSgd(config.learningRate as number, config.momentum as number),
    params: (rng) => Array.from({ length: 31 }, () => rng.normal(0, 0.01)),
    loader: shuffled(data.train, 32, control.seed),
    validation: whole(data.validation),
    epochs: EPOCHS,
    seed: control.seed,
    runId: control.trialId,
    ...extra,
  });
}

const bestOf = async (source: Observable<SweepEvent>): Promise<number> => {
  const end = await lastValueFrom(source);
  if (end.type !== 'end' || end.best === undefined) throw new Error('no best trial');
  return end.best.value;
};

describe('pbt over train()', () => {
  it('beats the same population with fixed hyperparameters, on average over seeds', async () => {
    const pbtBest: number[] = [];
    const fixedBest: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      const common = { space, sampler: randomSampler({ seed }), metric: 'validationLoss', seed };
      pbtBest.push(
        await bestOf(
          pbt({
            ...common,
            population: 8,
            perturbationInterval: 2,
            maxBudget: EPOCHS,
            objective: (config, control) => member(config, control, control.train),
          }),
        ),
      );
      fixedBest.push(
        await bestOf(
          sweep({ ...common, trials: 8, objective: (config, control) => member(config, control, {}) }),
        ),
      );
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Measured: 0.206 against 0.231 (PBT ahead on each of the 5 seeds); the test asks only that
    // PBT's mean is the lower. The two start from the same 8 configs (same sampler and seed) and
    // train the same 8 x 12 epochs.
    expect(mean(pbtBest)).toBeLessThan(mean(fixedBest));
  });
});
