import { doubleWell } from '@downhill/models';
import { addGradientNoise, chain, named, sgd } from '@downhill/optimizers';
import { cosineWarmRestarts } from '@downhill/schedules';
import type { Experiment } from './experiment.js';
import { lossSurface } from './loss-surface.js';

/**
 * A tilted double well, f = (x^2 - 1)^2 + 0.3 x + y^2: a global minimum near x = -1.04 and a local
 * one near x = +0.96. From (1.5, 1) plain descent slides into the local one. Warm restarts
 * (Loshchilov & Hutter, 2017) raise the rate back to 0.3 every 60 steps, which throws the iterate
 * out of the narrower well; annealed gradient noise (Neelakantan et al., 2015; variance
 * 10 / (1 + t)) lets it hop the barrier early and settle later.
 */
export const localMinima: Experiment = {
  name: 'local-minima',
  title: 'Local vs global minimum',
  description:
    'On a tilted double well, plain descent from (1.5, 1) stops in the local minimum (loss 0.29); ' +
    'cosine warm restarts and annealed gradient noise reach the global one (loss -0.31).',
  runs() {
    const surface = doubleWell({ tilt: 0.3 });
    const landscape = lossSurface(surface, { x: [-2, 2], y: [-1.5, 1.5] });
    const start = [1.5, 1];
    const config = { landscape, minima: surface.minima };
    return [
      {
        label: 'plain descent, lr 0.05',
        spec: { objective: surface, optimizer: sgd({ learningRate: 0.05 }), params: start, steps: 400 },
      },
      {
        label: 'warm restarts, lr 0.3 -> 0.001 every 60 steps',
        spec: {
          objective: surface,
          optimizer: sgd({ learningRate: cosineWarmRestarts({ initial: 0.3, minimum: 0.001, period: 60 }) }),
          params: start,
          steps: 400,
        },
      },
      {
        label: 'annealed gradient noise, lr 0.05',
        spec: {
          objective: surface,
          optimizer: named(
            'noisy-sgd',
            { learningRate: 0.05, noiseEta: 10, noiseGamma: 1 },
            chain(addGradientNoise({ eta: 10, gamma: 1, seed: 0 }), sgd({ learningRate: 0.05 })),
          ),
          params: start,
          steps: 400,
        },
      },
    ].map((run) => ({ ...run, spec: { ...run.spec, recordParams: true, config } }));
  },
};
