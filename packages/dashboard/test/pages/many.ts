// Twelve finished runs on one learning curve: legends, colours and exports past the 8th run, and
// grouping: four learning rates, each from three starting points (as seeds would be).
import '../../src/index.js';
import { groupRuns } from '../../src/index.js';
import { quadraticRun } from './quadratic-runs.js';

const rates = [0.005, 0.01, 0.02, 0.04];
export const names = Array.from({ length: 12 }, (_, i) => `lr ${rates[i % 4]} #${Math.floor(i / 4) + 1}`);
const events = names.flatMap((name, i) =>
  quadraticRun({
    runId: `run-${i}`,
    name,
    learningRate: rates[i % 4]!,
    steps: 200,
    start: 1 + Math.floor(i / 4),
  }),
);
const curve = document.querySelector('downhill-learning-curve')!;
curve.events = events;
const list = document.querySelector('downhill-run-list')!;
list.events = events;
list.selected = names.map((_, i) => `run-${i}`);
list.shown = list.selected;
curve.runIds = list.selected;
// What the app does: the list's grouping drives the chart's groups.
list.addEventListener('list-change', () => {
  curve.groups = list.groupBy ? groupRuns(list.visibleRuns, list.groupBy) : undefined;
});
Object.assign(window, { harness: { events, names } });
