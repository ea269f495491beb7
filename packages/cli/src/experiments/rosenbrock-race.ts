import { rosenbrock } from '@downhill/models';
import { adam, rmsprop, sgd } from '@downhill/optimizers';
import type { Experiment } from './experiment.js';
import { lossSurface } from './loss-surface.js';

/**
 * SGD, momentum, RMSProp and Adam from the same start on Rosenbrock's banana
 * f = (1 - x)^2 + 100 (y - x^2)^2, each at a learning rate that works for it. Plain SGD crawls
 * along the curved valley floor; momentum builds up speed along it; RMSProp and Adam rescale each
 * coordinate, so the steep walls stop dictating the step size.
 */
export const rosenbrockRace: Experiment = {
  name: 'rosenbrock-race',
  title: 'SGD, momentum, RMSProp and Adam on Rosenbrock',
  description:
    'Four optimizers race from (-1.5, 2) to the minimum at (1, 1) for 3000 steps; the trajectories ' +
    'over the contour show SGD crawling along the valley and the others cutting along it.',
  runs() {
    const surface = rosenbrock();
    const config = { landscape: lossSurface(surface, { x: [-2, 2], y: [-1, 3] }), minima: surface.minima };
    return [
      { label: 'SGD, lr 0.001', optimizer: sgd({ learningRate: 0.001 }) },
      { label: 'momentum 0.9, lr 0.001', optimizer: sgd({ learningRate: 0.001, momentum: 0.9 }) },
      { label: 'RMSProp, lr 0.005', optimizer: rmsprop({ learningRate: 0.005 }) },
      { label: 'Adam, lr 0.05', optimizer: adam({ learningRate: 0.05 }) },
    ].map(({ label, optimizer }) => ({
      label,
      spec: { objective: surface, optimizer, params: [-1.5, 2], steps: 3000, recordParams: true, config },
    }));
  },
};
