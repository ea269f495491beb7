import { fullBatchLoader } from '@downhill/data';
import { linearRegression } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import type { Experiment } from './experiment.js';
import { lossSurface } from './loss-surface.js';
import { seedLine } from './seed-data.js';

/**
 * The seed documents' learning-rate figure on the toy line: one problem, three step sizes.
 * The MSE surface's largest curvature here is about 68, so steps above lr = 2 / 68 ~ 0.029
 * overshoot by more than they correct and diverge.
 */
export const learningRates: Experiment = {
  name: 'learning-rates',
  title: 'Learning rate too small, right, too large',
  description:
    'Batch gradient descent on the line from (-8, -8), 400 steps: lr 0.001 crawls, lr 0.02 gets there, ' +
    'lr 0.1 overshoots further at every step until the loss overflows (diverged).',
  runs() {
    const line = seedLine();
    const data = fullBatchLoader(line);
    const model = linearRegression({ inputs: 1 });
    const landscape = lossSurface(model, { x: [-10, 15], y: [-10, 15], batch: { x: line.x, y: line.y } });
    return [
      { label: 'lr 0.001 (too small)', rate: 0.001 },
      { label: 'lr 0.02 (right)', rate: 0.02 },
      { label: 'lr 0.1 (too large)', rate: 0.1 },
    ].map(({ label, rate }) => ({
      label,
      spec: {
        objective: model,
        optimizer: sgd({ learningRate: rate }),
        params: [-8, -8],
        loader: data,
        steps: 400,
        recordParams: true,
        config: { landscape },
      },
    }));
  },
};
