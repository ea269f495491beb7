import { defineTestFunction, type TestFunction } from '@downhill/models';
import { addGradientNoise, chain, named, sgd } from '@downhill/optimizers';
import type { Experiment } from './experiment.js';
import { lossSurface } from './loss-surface.js';

/**
 * f = x^2 + y^4 / 4 - y^2 / 2, grad = (2x, y^3 - y): a saddle at the origin (f = 0, Hessian
 * diag(2, -1)) between two minima at (0, +-1) (f = -1/4). Unlike the pure saddle x^2 - y^2 it is
 * bounded below, so the runs that escape have somewhere to arrive.
 *
 * Not a copy of `@downhill/models`' saddles: its `saddle` is that pure x^2 - y^2 (no minimum, the
 * loss falls without bound once a run escapes) and `monkeySaddle` is x^3 - 3xy^2 (none either).
 */
export function saddleWithMinima(): TestFunction {
  return defineTestFunction({
    name: 'saddle-with-minima',
    dimension: 2,
    evaluate(p, g) {
      const x = p[0]!;
      const y = p[1]!;
      if (g) {
        g[0] = 2 * x;
        g[1] = y * y * y - y;
      }
      return x * x + (y * y * y * y) / 4 - (y * y) / 2;
    },
    minima: [
      { point: [0, 1], value: -0.25, kind: 'global-minimum' },
      { point: [0, -1], value: -0.25, kind: 'global-minimum' },
    ],
    saddles: [{ point: [0, 0], value: 0, kind: 'saddle' }],
    domain: [
      [-2, 2],
      [-1.6, 1.6],
    ],
    start: [1.5, 1e-4],
  });
}

/**
 * Plain descent started almost on the saddle's ridge (y = 1e-4) reaches the saddle fast along x
 * and then stalls: the escaping direction's gradient is about y, so y grows only by a factor
 * (1 + lr) per step. Momentum compounds that growth; gradient noise kicks the iterate off the
 * ridge at once.
 */
export const saddlePoint: Experiment = {
  name: 'saddle-point',
  title: 'A saddle point',
  description:
    'From (1.5, 0.0001), plain descent (lr 0.05) sits at the saddle (loss 0) for most of its 150 ' +
    'steps; momentum 0.9 and gradient noise escape to a minimum (loss -0.25) within a few dozen.',
  runs() {
    const surface = saddleWithMinima();
    const config = {
      landscape: lossSurface(surface, { x: [-2, 2], y: [-1.6, 1.6] }),
      minima: surface.minima,
    };
    const start = surface.start;
    return [
      { label: 'plain descent, lr 0.05', optimizer: sgd({ learningRate: 0.05 }) },
      { label: 'momentum 0.9, lr 0.05', optimizer: sgd({ learningRate: 0.05, momentum: 0.9 }) },
      {
        label: 'gradient noise, lr 0.05',
        optimizer: named(
          'noisy-sgd',
          { learningRate: 0.05, noiseEta: 0.1, noiseGamma: 0.55 },
          chain(addGradientNoise({ eta: 0.1, gamma: 0.55, seed: 0 }), sgd({ learningRate: 0.05 })),
        ),
      },
    ].map(({ label, optimizer }) => ({
      label,
      spec: { objective: surface, optimizer, params: start, steps: 150, recordParams: true, config },
    }));
  },
};
