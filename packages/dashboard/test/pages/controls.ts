// One live run trained in this page (SGD with momentum: learning rate and momentum settable), its
// controls given the hyperparameters its start event says it accepts, and every event kept in
// `window.harness.events` for the test to read.
import type { TrainEvent } from '@downhill/core';
import { RunStore } from '../../src/index.js';
import '../../src/index.js';
import { pacedRun } from './paced-runs.js';

const run = pacedRun({ runId: 'momentum-run', name: 'sgd momentum', learningRate: 0.002, momentum: 0.5 });
const controls = document.querySelector('downhill-run-controls')!;
const store = new RunStore();
const events: TrainEvent[] = [];
run.events.subscribe((event) => {
  events.push(event);
  store.add(event);
  const series = store.get(run.runId)!;
  controls.run = series.summary();
  controls.settable = series.config?.settable;
});
document.addEventListener('run-command', (event) => run.control.next(event.detail.command));

Object.assign(window, { harness: { events } });

declare global {
  interface DocumentEventMap {
    'run-command': import('../../src/index.js').RunCommandEvent;
  }
}
