// One finished run (an array of events, no stream) in a learning curve: deterministic pixels for
// the smoothing, zoom and export tests.
import { emaSmooth, type TrainEvent, train } from '@downhill/core';
import { gridFromSlice } from '../../src/index.js';
import { finishedRun } from './paced-runs.js';

const events = finishedRun({ runId: 'history', steps: 20_000 });
const curve = document.querySelector('downhill-learning-curve')!;
curve.events = events;
const zooms: unknown[] = [];
curve.addEventListener('zoom-change', (event) => zooms.push((event as CustomEvent).detail));
// A 3-parameter bowl f(w) = w0^2 + w1^2 + w2^2 trained by plain gradient descent, drawn on the
// slice center + x d1 + y d2 with d1 = (1, 0, 0), d2 = (0, 1, 1): there f = x^2 + 2 y^2.
const bowlEvents: TrainEvent[] = [];
train<void>({
  objective: {
    dimension: 3,
    loss(w, _batch, grad) {
      if (grad) for (let i = 0; i < 3; i++) grad[i] = 2 * w[i]!;
      return w[0]! ** 2 + w[1]! ** 2 + w[2]! ** 2;
    },
  },
  optimizer: {
    name: 'gd',
    settable: [],
    init: () => ({}),
    update(updates) {
      for (let i = 0; i < updates.length; i++) updates[i] = -0.05 * updates[i]!;
    },
    describe: () => ({ name: 'gd' }),
  },
  params: [2, 1.5, 0.5],
  steps: 60,
  runId: 'bowl',
  recordParams: true,
  mode: 'sync',
}).subscribe((event) => bowlEvents.push(event));
const xs = Array.from({ length: 41 }, (_, i) => -2.5 + i * 0.125);
const ys = Array.from({ length: 41 }, (_, j) => -2 + j * 0.1);
const values = ys.flatMap((y) => xs.map((x) => x * x + 2 * y * y));
const trajectory = document.querySelector('downhill-trajectory')!;
trajectory.grid = gridFromSlice({ xs, ys, values });
trajectory.projection = {
  center: [0, 0, 0],
  directions: [
    [1, 0, 0],
    [0, 1, 1],
  ],
};
trajectory.events = bowlEvents;

Object.assign(window, { harness: { events, emaSmooth, zooms, bowlEvents } });
