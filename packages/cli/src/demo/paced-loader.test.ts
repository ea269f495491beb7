import { train } from '@downhill/core';
import { miniBatchLoader, noisyLine } from '@downhill/data';
import { linearRegression, rosenbrock } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { pacedLoader } from './paced-loader.js';

describe('pacedLoader', () => {
  it('hands out the same batches in the same order: a paced run ends with the same parameters', async () => {
    const data = noisyLine({ samples: 20, seed: 5 });
    const spec = {
      objective: linearRegression({ inputs: 1 }),
      optimizer: sgd({ learningRate: 0.05 }),
      params: [0, 0],
      epochs: 3,
    };
    const plain = await lastValueFrom(
      train({ ...spec, loader: miniBatchLoader(data, { batchSize: 4, seed: 1 }) }),
    );
    const paced = await lastValueFrom(
      train({
        ...spec,
        loader: pacedLoader(miniBatchLoader(data, { batchSize: 4, seed: 1 }), { stepsPerSecond: 2000 }),
      }),
    );
    expect(paced.type === 'end' && paced.params).toEqual(plain.type === 'end' && plain.params);
    expect(paced.type === 'end' && paced.step).toBe(15);
  });

  it('paces a run without data for its number of steps', async () => {
    const surface = rosenbrock();
    const spec = { objective: surface, optimizer: sgd({ learningRate: 1e-3 }), params: [-1, 1], steps: 12 };
    const plain = await lastValueFrom(train(spec));
    const paced = await lastValueFrom(
      train({ ...spec, loader: pacedLoader(undefined, { stepsPerSecond: 2000, steps: 12 }) }),
    );
    expect(paced.type === 'end' && paced.params).toEqual(plain.type === 'end' && plain.params);
  });

  it('rejects a rate that is not positive and a data-less run without steps', () => {
    expect(() => pacedLoader(undefined, { stepsPerSecond: 0, steps: 1 })).toThrow(
      /stepsPerSecond must be > 0/,
    );
    expect(() => pacedLoader(undefined, { stepsPerSecond: 10 })).toThrow(/needs its number of steps/);
  });
});
