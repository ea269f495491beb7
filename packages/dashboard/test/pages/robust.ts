// The demo's hard cases for the axes: a diverging run beside two healthy ones, and a loss that
// falls to 1e-29 and on to 0.
import '../../src/index.js';
import { quadraticRun } from './quadratic-runs.js';

const events = [
  ...quadraticRun({ runId: 'slow', name: 'lr 0.01', learningRate: 0.01, steps: 300, start: 3 }),
  ...quadraticRun({ runId: 'ok', name: 'lr 0.05', learningRate: 0.05, steps: 300, start: 3 }),
  ...quadraticRun({ runId: 'diverging', name: 'lr 1.1', learningRate: 1.1, steps: 3000, start: 3 }),
];
const tiny = quadraticRun({ runId: 'tiny', name: 'lr 0.45', learningRate: 0.45, steps: 400 });

const curves = document.querySelectorAll('downhill-learning-curve');
curves[0]!.events = events;
curves[1]!.events = tiny;
Object.assign(window, { harness: { events, tiny } });
