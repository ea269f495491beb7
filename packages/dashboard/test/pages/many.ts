// Twelve finished runs on one learning curve: legends, colours and exports past the 8th run.
import '../../src/index.js';
import { quadraticRun } from './quadratic-runs.js';

const events = Array.from({ length: 12 }, (_, i) =>
  quadraticRun({
    runId: `run-${i}`,
    name: `lr ${(0.002 * (i + 1)).toFixed(3)}`,
    learningRate: 0.002 * (i + 1),
    steps: 200,
    start: 2,
  }),
).flat();
const curve = document.querySelector('downhill-learning-curve')!;
curve.events = events;
const list = document.querySelector('downhill-run-list')!;
list.events = events;
list.selected = Array.from({ length: 12 }, (_, i) => `run-${i}`);
list.shown = list.selected;
Object.assign(window, { harness: { events } });
