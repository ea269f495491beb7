import type { Batch, Optimizer } from '@downhill/core';
import { miniBatchLoader, noisyLine } from '@downhill/data';
import { linearRegression } from '@downhill/models';
import { sgd, stochasticWeightAveraging } from '@downhill/optimizers';
import { cosineWarmRestarts, swa } from '@downhill/schedules';
import type { Experiment, ExperimentRun } from './experiment.js';

/**
 * Mini-batch SGD on a noisy line at a large constant rate keeps bouncing around the optimum.
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter, 2017) lowers the rate to zero
 * at the end of every 100-step cycle, so the iterate settles before each restart. Stochastic
 * weight averaging (Izmailov et al., 2018) keeps the large rate but averages the iterates every
 * epoch from step 300 on: the average sits nearer the optimum than the constant rate's iterate.
 */
export const warmRestartsSwa: Experiment = {
  name: 'warm-restarts-swa',
  title: 'Cosine warm restarts and stochastic weight averaging',
  description:
    'Mini-batches of 5 at lr 0.2 for 30 epochs: the constant rate ends noisy; warm restarts anneal ' +
    'each cycle to zero; SWA averages the iterates (metric swaLoss) and lands near the optimum.',
  runs() {
    const data = noisyLine({ samples: 100, seed: 1, noise: 1, xRange: [0, 2] });
    const full: Batch = { x: data.x, y: data.y };
    const model = linearRegression({ inputs: 1 });
    const run = (
      label: string,
      optimizer: Optimizer,
      averaged?: () => Float64Array | undefined,
    ): ExperimentRun => ({
      label,
      spec: {
        objective: model,
        optimizer,
        params: [-8, -8],
        loader: miniBatchLoader(data, { batchSize: 5, seed: 3 }),
        epochs: 30,
        seed: 3,
        recordParams: 5,
        // The loss over all the data at the current (and averaged) parameters, once per epoch.
        metrics: (params) => {
          const swaParams = averaged?.();
          return {
            fullLoss: model.loss(params, full),
            ...(swaParams ? { swaLoss: model.loss(swaParams, full) } : {}),
          };
        },
      },
    });
    const averaging = stochasticWeightAveraging(sgd({ learningRate: 0.2 }), {
      start: 300,
      every: 20,
      learningRate: swa({ initial: 0.2, swaRate: 0.1, annealSteps: 20 }),
    });
    return [
      run('constant lr 0.2', sgd({ learningRate: 0.2 })),
      run(
        'cosine warm restarts, lr 0.2, period 100',
        sgd({ learningRate: cosineWarmRestarts({ initial: 0.2, period: 100 }) }),
      ),
      run('SWA from step 300, every epoch', averaging, () => averaging.averagedParams()),
    ];
  },
};
