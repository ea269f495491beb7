import { stopOnConvergence } from '@downhill/core';
import { fullBatchLoader } from '@downhill/data';
import { linearRegression, polynomialRegression } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import type { Experiment } from './experiment.js';
import { lossSurface } from './loss-surface.js';
import { seedCubic, seedLine } from './seed-data.js';

/**
 * The seed article's two fits, as published: a line from (m, b) = (-8, -8), 20 steps of batch
 * gradient descent at learning rate 0.01, and the cubic from (0, 0, 0, 0), 100 steps at 0.03.
 */
export const lineAndCubic: Experiment = {
  name: 'line-and-cubic',
  title: 'Fitting a line and a cubic',
  description:
    'Batch gradient descent on mean squared error: 20 steps at lr 0.01 take the line from (-8, -8) to ' +
    'near y = 5x + 3; 100 steps at lr 0.03 fit the cubic -4 + 3x + 4x^2 + 4x^3 from zero.',
  runs() {
    const line = seedLine();
    const lineModel = linearRegression({ inputs: 1 });
    const cubic = seedCubic();
    return [
      {
        label: 'line, 20 steps at lr 0.01',
        spec: {
          objective: lineModel,
          optimizer: sgd({ learningRate: 0.01 }),
          params: [-8, -8],
          loader: fullBatchLoader(line),
          steps: 20,
          recordParams: true,
          config: {
            truth: [5, 3],
            landscape: lossSurface(lineModel, {
              x: [-10, 12],
              y: [-10, 12],
              batch: { x: line.x, y: line.y },
            }),
          },
        },
      },
      {
        label: 'cubic, 100 steps at lr 0.03',
        spec: {
          objective: polynomialRegression({ degree: 3 }),
          optimizer: sgd({ learningRate: 0.03 }),
          params: [0, 0, 0, 0],
          loader: fullBatchLoader(cubic),
          steps: 100,
          // Parameters are weights (x, x^2, x^3) then the bias.
          config: { truth: [3, 4, 4, -4] },
        },
        operators: [stopOnConvergence({ epsilon: 1e-9, patience: 5 })],
      },
    ];
  },
};
