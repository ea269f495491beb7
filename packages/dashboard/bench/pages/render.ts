// Benchmark page: a 1,000,000-step history drawn by <downhill-learning-curve> (decimated per pixel
// column) against uPlot handed every point, and a live run at a fixed event rate with the frame
// intervals recorded.
import type { StepEvent, TrainEvent } from '@downhill/core';
import { type StepColumns, toStepColumns } from '@downhill/protocol';
import { Subject } from 'rxjs';
import uPlot from 'uplot';
import {
  DownhillLearningCurve,
  DownhillLearningRateChart,
  DownhillRunList,
  RunStore,
  RunStoreFeed,
  type RunSummary,
} from '../../src/index.js';

const stage = document.querySelector('#stage')!;
const hyperparams = { learningRate: 0.01, momentum: 0.9 };

function startEvent(runId: string): TrainEvent {
  return {
    type: 'start',
    runId,
    seq: 0,
    time: 0,
    step: 0,
    params: [0, 0],
    config: {
      model: undefined,
      optimizer: { name: 'sgd', learningRate: 0.01, momentum: 0.9 },
      data: undefined,
      batchSize: 32,
      samples: 32_000,
      batchesPerEpoch: 1000,
      parameterCount: 2,
      seed: 0,
      epochs: undefined,
      steps: undefined,
      validationSamples: undefined,
      extra: { name: runId },
    },
  };
}

/** A noisy decaying loss with rare spikes, as a real run's. */
function lossAt(step: number): number {
  const noise = Math.sin(step * 12.9898) * 43_758.5453;
  return 2 * Math.exp(-step / 200_000) + 0.1 * (noise - Math.floor(noise)) + (step % 99_991 === 0 ? 5 : 0);
}

function stepEvent(runId: string, step: number): StepEvent {
  return {
    type: 'step',
    runId,
    seq: step + 1,
    time: step,
    step,
    epoch: Math.floor(step / 1000),
    batch: step % 1000,
    loss: lossAt(step),
    gradNorm: 1,
    learningRate: 0.01,
    hyperparams,
  };
}

function history(n: number): TrainEvent[] {
  const events: TrainEvent[] = [startEvent('history')];
  for (let step = 0; step < n; step++) events.push(stepEvent('history', step));
  return events;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Milliseconds from handing the curve `n` events to the plot drawn; then a redraw after a smoothing change. */
async function decimatedHistory(n: number): Promise<{
  firstDrawMs: number;
  ingestMs: number;
  heldDrawMs: number;
  redrawMs: number;
  rawLineMs: number;
  drawnPoints: number;
  firstDrawnPoints: number;
}> {
  const events = history(n);
  stage.replaceChildren();
  const curve = new DownhillLearningCurve();
  curve.style.width = '1200px';
  stage.append(curve);
  await curve.updateComplete;
  await settle();
  const tIngest = performance.now();
  new RunStore().addAll(events);
  const ingestMs = performance.now() - tIngest;
  await settle();
  // The history already in a page's shared store (a feed): only the drawing is timed.
  const feed = new RunStoreFeed();
  feed.source = events;
  const held = new DownhillLearningCurve();
  held.style.width = '1200px';
  stage.append(held);
  await held.updateComplete;
  await settle();
  const tHeld = performance.now();
  held.feed = feed;
  await held.updateComplete;
  await Promise.resolve();
  const heldDrawMs = performance.now() - tHeld;
  held.remove();
  feed.source = undefined;
  await settle();
  const t0 = performance.now();
  curve.events = events;
  await curve.updateComplete;
  await Promise.resolve(); // uPlot commits its redraw in a microtask
  const firstDrawMs = performance.now() - t0;
  const firstDrawnPoints = curve.plot!.drawnPoints;
  const t1 = performance.now();
  curve.smoothing = 0.9;
  await curve.updateComplete;
  await Promise.resolve();
  const redrawMs = performance.now() - t1;
  const drawnPoints = curve.plot!.drawnPoints;
  const t2 = performance.now();
  curve.smoothing = 0;
  await curve.updateComplete;
  await Promise.resolve();
  const rawLineMs = performance.now() - t2;
  return { firstDrawMs, ingestMs, heldDrawMs, redrawMs, rawLineMs, drawnPoints, firstDrawnPoints };
}

/**
 * The steps of `history(n)` in the wire's columns, as `toStepColumns` writes them and `JSON.parse`
 * gives them back (arrays of numbers, a single value where all are equal), built without an
 * object per step.
 */
function historyColumns(n: number): StepColumns {
  // Packed arrays, as JSON.parse makes them (`new Array(n)` of a million is a slow dictionary).
  const seq: number[] = [];
  const time: number[] = [];
  const step: number[] = [];
  const epoch: number[] = [];
  const batch: number[] = [];
  const loss: number[] = [];
  // The fields `stepEvent` gives step i, without building it (no million objects left to collect).
  for (let i = 0; i < n; i++) {
    seq.push(i + 1);
    time.push(i);
    step.push(i);
    epoch.push(Math.floor(i / 1000));
    batch.push(i % 1000);
    loss.push(lossAt(i));
  }
  // One value where all are equal, as the encoder writes a column.
  const compact = (values: number[]) => (values.every((v) => v === values[0]) ? values[0]! : values);
  return {
    seq,
    time: compact(time),
    step: compact(step),
    epoch: compact(epoch),
    batch: compact(batch),
    loss: compact(loss),
    gradNorm: 1,
    learningRate: 0.01,
    hyperparams: { ...hyperparams },
  };
}

/**
 * Milliseconds from handing a learning curve the same `n` steps as the wire's columns (a live
 * `events` frame's `steps`, through a `RunStoreFeed`) to the plot drawn. The page holds no event
 * objects meanwhile, as a page fed columns would not; the columns are built before the clock starts.
 */
async function columnsHistory(
  n: number,
): Promise<{ columnsDrawMs: number; columnsIngestMs: number; drawnPoints: number }> {
  const start = startEvent('history');
  // The columns built here are what the protocol's own encoder writes for the same steps.
  const small = history(1000).slice(1) as StepEvent[];
  if (JSON.stringify(historyColumns(1000)) !== JSON.stringify(toStepColumns(small)))
    throw new Error('historyColumns differs from toStepColumns');
  const columns = historyColumns(n);
  stage.replaceChildren();
  const curve = new DownhillLearningCurve();
  curve.style.width = '1200px';
  stage.append(curve);
  await curve.updateComplete;
  await settle();
  const t0 = performance.now();
  const feed = new RunStoreFeed();
  feed.source = [start, { runId: 'history', events: [], steps: columns }];
  curve.feed = feed;
  await curve.updateComplete;
  await Promise.resolve();
  const columnsDrawMs = performance.now() - t0;
  const drawnPoints = curve.plot!.drawnPoints;
  curve.remove();
  // Then the ingest alone (after the draw: the store it leaves behind is garbage to collect).
  await settle();
  const tIngest = performance.now();
  const store = new RunStore();
  store.add(start);
  store.addBatch({ runId: 'history', events: [], steps: columns });
  const columnsIngestMs = performance.now() - tIngest;
  return { columnsDrawMs, columnsIngestMs, drawnPoints };
}

/** The same loss column handed whole to uPlot (no decimation, no smoothing): the peer. */
async function rawUplot(n: number): Promise<{ firstDrawMs: number }> {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i;
    y[i] = lossAt(i);
  }
  stage.replaceChildren();
  const div = document.createElement('div');
  stage.append(div);
  await settle();
  const t0 = performance.now();
  const plot = new uPlot(
    {
      width: 1176,
      height: 260,
      scales: { x: { time: false } },
      series: [{}, { stroke: 'blue' }],
      legend: { show: false },
    },
    [x, y],
    div,
  );
  await Promise.resolve();
  const firstDrawMs = performance.now() - t0;
  plot.destroy();
  return { firstDrawMs };
}

interface LiveStats {
  readonly events: number;
  readonly frames: number;
  readonly intervals: number[];
  readonly workMs: number[];
}

/**
 * A live run at `rate` step events a second (emitted every 4 ms, like a sliced run loop) for
 * `seconds`, watched by a learning curve and a learning-rate chart sharing one `RunStoreFeed`, and
 * a run list. Records the interval between animation frames and the time each frame spent
 * updating the components.
 */
let liveEvents: Subject<TrainEvent> | undefined;
let liveWork: number[] = [];

/** Three components watching `runs` runs that already have `prior` steps each (all shown on the charts). */
async function liveSetup(prior: number, runs = 1): Promise<void> {
  stage.replaceChildren();
  const events = new Subject<TrainEvent>();
  const curve = new DownhillLearningCurve();
  const lr = new DownhillLearningRateChart();
  const list = new DownhillRunList();
  stage.append(list, curve, lr);
  const workMs: number[] = [];
  for (const element of [curve, lr, list]) {
    // Time each component's update (render + chart drawing) by wrapping Lit's update entry point.
    const host = element as unknown as { performUpdate(): void };
    const original = host.performUpdate.bind(element);
    host.performUpdate = () => {
      const t = performance.now();
      original();
      workMs.push(performance.now() - t);
    };
  }
  // As the dashboard app: the charts draw from one store fed once per frame; the list (given the
  // server's summaries in the app) summarises the events itself here.
  const feed = new RunStoreFeed();
  feed.source = events;
  curve.feed = feed;
  lr.feed = feed;
  list.events = events;
  await Promise.all([curve.updateComplete, lr.updateComplete, list.updateComplete]);
  liveRuns = Array.from({ length: runs }, (_, i) => (runs === 1 ? 'live' : `live-${i}`));
  for (const runId of liveRuns) {
    events.next(startEvent(runId));
    for (let step = 0; step < prior; step++) events.next(stepEvent(runId, step));
  }
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await new Promise((resolve) => setTimeout(resolve, 100));
  workMs.length = 0;
  liveEvents = events;
  liveWork = workMs;
  nextStep = prior;
}

let nextStep = 0;
let liveRuns: string[] = ['live'];

/** Feeds the run `rate` step events a second for `seconds`, recording the frame intervals. */
async function live(rate: number, seconds: number): Promise<LiveStats> {
  const events = liveEvents!;
  const workMs = liveWork;
  const prior = nextStep;
  const intervals: number[] = [];
  let frames = 0;
  let last = performance.now();
  let running = true;
  const onFrame = (now: number) => {
    intervals.push(now - last);
    last = now;
    frames++;
    if (running) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  let sent = prior * liveRuns.length;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // `rate` events a second in all, the runs taking turns (each run's steps stay in order).
      const due = prior * liveRuns.length + Math.floor(((performance.now() - started) / 1000) * rate);
      while (sent < due) {
        const runId = liveRuns[sent % liveRuns.length]!;
        events.next(stepEvent(runId, Math.floor(sent / liveRuns.length)));
        sent++;
      }
      if (performance.now() - started >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 4);
  });
  running = false;
  intervals.shift();
  nextStep = Math.floor(sent / liveRuns.length);
  return { events: sent - prior * liveRuns.length, frames, intervals, workMs };
}

/** `count` run summaries as a server's run list gives them (newest first). */
function summaries(count: number): RunSummary[] {
  return Array.from({ length: count }, (_, i) => ({
    runId: `run-${i}`,
    name: `sweep lr ${(0.001 * (1 + (i % 50))).toFixed(3)} seed ${i}`,
    status: i % 7 === 0 ? 'running' : 'completed',
    optimizer: i % 2 ? 'adam' : 'sgd',
    hyperparams: { learningRate: 0.001 * (1 + (i % 50)), momentum: 0.9, batchSize: 32, seed: i },
    step: 1000 + i,
    epoch: 3,
    loss: lossAt(i),
    bestLoss: lossAt(i) / 2,
    validationLoss: Number.NaN,
    learningRate: 0.001,
    time: 60_000 + i,
    startedAt: Date.now() - i * 1000,
    tags: i % 3 ? [] : ['baseline'],
  }));
}

/**
 * A run list handed `count` runs: ms until the first page is rendered and painted (`pageSize`
 * rows, the default 200; `pageSize` = `count` renders every row as the list did before paging).
 */
async function runList(count: number, pageSize?: number): Promise<{ firstPageMs: number; rows: number }> {
  stage.replaceChildren();
  const list = new DownhillRunList();
  if (pageSize !== undefined) list.pageSize = pageSize;
  stage.append(list);
  await list.updateComplete;
  const runs = summaries(count);
  await settle();
  const t0 = performance.now();
  list.runs = runs;
  await list.updateComplete;
  // Until the frame that shows it has been laid out and painted.
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const firstPageMs = performance.now() - t0;
  const rows = list.renderRoot.querySelectorAll('tbody tr').length;
  stage.replaceChildren();
  return { firstPageMs, rows };
}

Object.assign(window, { bench: { decimatedHistory, columnsHistory, rawUplot, liveSetup, live, runList } });
