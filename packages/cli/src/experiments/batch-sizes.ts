import { fullBatchLoader, miniBatchLoader, stochasticLoader } from '@downhill/data';
import { linearRegression } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import type { Experiment } from './experiment.js';
import { lossSurface } from './loss-surface.js';
import { seedLine } from './seed-data.js';

/**
 * Batch, mini-batch and stochastic gradient descent on the same 100 points and the same number of
 * epochs: the batch run takes one smooth step per epoch, mini-batches of 10 take ten noisier ones,
 * single samples take a hundred noisy ones.
 */
export const batchSizes: Experiment = {
  name: 'batch-sizes',
  title: 'Batch vs mini-batch vs stochastic descent',
  description:
    '30 epochs over the line data at lr 0.005: batch GD makes 30 updates, mini-batches of 10 make 300, ' +
    'stochastic GD makes 3000 noisy ones; compare by epoch and by wall time.',
  runs() {
    const line = seedLine();
    const model = linearRegression({ inputs: 1 });
    const landscape = lossSurface(model, { x: [-10, 12], y: [-10, 12], batch: { x: line.x, y: line.y } });
    const loaders = [
      { label: 'batch (100 rows per step)', loader: fullBatchLoader(line) },
      { label: 'mini-batch (10 rows per step)', loader: miniBatchLoader(line, { batchSize: 10, seed: 4 }) },
      { label: 'stochastic (1 row per step)', loader: stochasticLoader(line, { seed: 4 }) },
    ];
    return loaders.map(({ label, loader }) => ({
      label,
      spec: {
        objective: linearRegression({ inputs: 1 }),
        optimizer: sgd({ learningRate: 0.005 }),
        params: [-8, -8],
        loader,
        epochs: 30,
        seed: 4,
        recordParams: true,
        config: { landscape },
      },
    }));
  },
};
