// Every component on one page, fed by live runs trained in this page (no server): the runs'
// events are shared (one subscription each, replayed to late subscribers) and the controls'
// `run-command` events go straight to the runs' control Subjects.
import type { TrainEvent } from '@downhill/core';
import { merge, type Observable, ReplaySubject, share } from 'rxjs';
import { RunStoreFeed } from '../../src/index.js';
import '../../src/index.js';
import { type PacedRun, pacedRun, valleyLoss } from './paced-runs.js';

const runs: PacedRun[] = [
  pacedRun({ runId: 'run-a', name: 'sgd lr 0.01', learningRate: 0.01 }),
  pacedRun({ runId: 'run-b', name: 'sgd lr 0.003', learningRate: 0.003, momentum: 0.9 }),
];
const events: Observable<TrainEvent> = merge(...runs.map((r) => r.events)).pipe(
  share({ connector: () => new ReplaySubject<TrainEvent>(), resetOnRefCountZero: false }),
);

const list = document.querySelector('downhill-run-list')!;
const controls = document.querySelector('downhill-run-controls')!;
const curve = document.querySelector('downhill-learning-curve')!;
const lrChart = document.querySelector('downhill-learning-rate-chart')!;
const trajectory = document.querySelector('downhill-trajectory')!;
const table = document.querySelector('downhill-comparison-table')!;
const status = document.querySelector('downhill-connection-status')!;

status.state = 'open';
list.events = events;
// The charts draw from one store, fed once (as the dashboard app does); the list summarises the events itself.
const feed = new RunStoreFeed();
feed.source = events;
curve.feed = feed;
lrChart.feed = feed;
trajectory.feed = feed;
trajectory.loss = valleyLoss;
trajectory.bounds = { x: [-2, 2], y: [-1, 3] };

const refreshFocus = () => {
  const focused = list.allRuns.find((r) => r.runId === list.focused);
  controls.run = focused;
  table.runs = list.allRuns.filter((r) => list.selected.includes(r.runId));
};
list.addEventListener('run-focus', refreshFocus);
list.addEventListener('selection-change', refreshFocus);
setInterval(refreshFocus, 200);
document.addEventListener('run-command', (event) => {
  const { runId, command } = event.detail;
  runs.find((r) => r.runId === runId)?.control.next(command);
});

Object.assign(window, { harness: { runs, events, feed } });

declare global {
  interface DocumentEventMap {
    'run-command': import('../../src/index.js').RunCommandEvent;
  }
}
