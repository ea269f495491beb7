// Runs that record more than loss: the gradient norm of every step and, per epoch, an accuracy
// metric, drawn by <downhill-metric-chart>s chosen from what the runs record.
import { type TrainEvent, train } from '@downhill/core';
import { RunStoreFeed, recordedMetrics } from '../../src/index.js';
import '../../src/index.js';

function run(runId: string, lr: number): TrainEvent[] {
  const events: TrainEvent[] = [];
  train<number>({
    objective: {
      dimension: 1,
      loss(w, target, grad) {
        if (grad) grad[0] = 2 * (w[0]! - target);
        return (w[0]! - target) ** 2;
      },
    },
    optimizer: {
      name: 'gd',
      settable: [],
      init: () => ({}),
      update(updates) {
        for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
      },
      describe: () => ({ name: 'gd', learningRate: lr }),
    },
    params: [4],
    loader: {
      batchesPerEpoch: 10,
      samples: 10,
      batchSize: 1,
      *epoch() {
        for (let i = 0; i < 10; i++) yield 1;
      },
    },
    epochs: 8,
    // "Accuracy": how close w is to the target, in (0, 1].
    metrics: (w) => ({ accuracy: 1 / (1 + Math.abs(w[0]! - 1)) }),
    runId,
    config: { name: runId },
    mode: 'sync',
  }).subscribe((event) => events.push(event));
  return events;
}

const events = [...run('slow', 0.02), ...run('fast', 0.2)];
// One store for the page: the events are stored once and every chart draws from it.
const feed = new RunStoreFeed();
feed.source = events;
const curve = document.querySelector('downhill-learning-curve')!;
curve.feed = feed;
const container = document.querySelector('#metrics')!;
for (const metric of recordedMetrics(feed.store.runs())) {
  const chart = document.createElement('downhill-metric-chart');
  chart.metric = metric;
  chart.feed = feed;
  container.append(chart);
}
Object.assign(window, { harness: { events } });
