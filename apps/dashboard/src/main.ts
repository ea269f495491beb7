// The dashboard page: the server's runs through @downhill/client into the @downhill/dashboard
// components. The server URL is this page's origin (or ?server=...); the launch token, needed for
// the controls, comes from the link the server printed (#token=... or ?token=...).
import { connect } from '@downhill/client';
import type { RunCommand } from '@downhill/core';
import {
  fromServerRun,
  gridFromSlice,
  isLandscapeSlice,
  type LandscapeSlice,
  lowerBound,
  type RunCommandEvent,
  type RunSummary,
  upperBound,
  type ZoomChangeDetail,
} from '@downhill/dashboard';
import '@downhill/dashboard';
import type { WireCommand } from '@downhill/protocol';
import { map } from 'rxjs';
import { fetchDetail } from './fetch-detail.js';
import { launchToken, maxPoints, serverUrl } from './location-settings.js';
import { RunEvents } from './run-events.js';

const server = serverUrl(location);
const client = connect(server, { token: launchToken(location, sessionStorage) });
const points = maxPoints(location);
const runEvents = new RunEvents(client, points === undefined ? {} : { maxPoints: points });

const status = document.querySelector('downhill-connection-status')!;
const list = document.querySelector('downhill-run-list')!;
const controls = document.querySelector('downhill-run-controls')!;
const table = document.querySelector('downhill-comparison-table')!;
const curve = document.querySelector('downhill-learning-curve')!;
const lrChart = document.querySelector('downhill-learning-rate-chart')!;
const trajectory = document.querySelector('downhill-trajectory')!;
const message = document.querySelector<HTMLElement>('#message')!;

status.state = client.status$;
let runs: readonly RunSummary[] = [];
let shownKey = '';

client
  .runs()
  .pipe(map((list) => list.map(fromServerRun)))
  .subscribe((summaries) => {
    runs = summaries;
    list.runs = summaries;
    // Until the user picks one, follow the newest live run.
    if (list.focused === undefined || !summaries.some((r) => r.runId === list.focused)) {
      list.focused = (summaries.find((r) => r.status === 'running') ?? summaries[0])?.runId;
    }
    refresh();
  });

/** The server's summary has no best loss: take it from the run's events when the page holds them. */
function withBestLoss(run: RunSummary): RunSummary {
  const series = curve.store.get(run.runId);
  if (!Number.isNaN(run.bestLoss) || !series || !Number.isFinite(series.bestLoss)) return run;
  return { ...run, bestLoss: series.bestLoss };
}

/** Shows the selected runs (or the focused one) in the charts, the focused one in the controls. */
function refresh(): void {
  const focused = runs.find((r) => r.runId === list.focused);
  controls.run = focused;
  const selected = runs.filter((r) => list.selected.includes(r.runId)).map(withBestLoss);
  table.runs = selected;
  const shown = selected.length > 0 ? selected.map((r) => r.runId) : focused ? [focused.runId] : [];
  const key = shown.join('\n');
  if (key === shownKey) {
    showTrajectory(shown);
    return;
  }
  shownKey = key;
  const events = runEvents.merged(shown);
  for (const chart of [curve, lrChart, trajectory]) {
    chart.events = events;
    chart.runIds = shown;
  }
  showTrajectory(shown);
}

/**
 * The trajectory for 2-parameter runs, or for larger ones whose start config carries a landscape
 * slice (`config.extra.landscape`: xs, ys, values, and center + directions for the plane).
 */
function showTrajectory(shown: readonly string[]): void {
  const configs = shown.map((id) => runEvents.config(id));
  const slice = configs.map((c) => c?.extra.landscape).find(isLandscapeSlice);
  // Configs are fixed per run: only a different slice rebuilds the surface.
  if (slice !== shownSlice) {
    shownSlice = slice;
    setSlice(slice);
  }
  trajectory.hidden = !(slice || configs.some((c) => c?.parameterCount === 2));
}

let shownSlice: LandscapeSlice | undefined;

function setSlice(slice: LandscapeSlice | undefined): void {
  if (slice) {
    trajectory.grid = gridFromSlice(slice);
    trajectory.projection =
      slice.center && slice.directions ? { center: slice.center, directions: slice.directions } : undefined;
  } else {
    trajectory.grid = undefined;
    trajectory.projection = undefined;
  }
}

list.addEventListener('run-focus', refresh);
list.addEventListener('selection-change', refresh);
runEvents.onStart = refresh;

document.addEventListener('run-command', (event) => {
  const { runId, command } = (event as RunCommandEvent).detail;
  client.control(runId, toWire(command)).then(
    () => {
      message.textContent = `${command.type} sent to ${runId}`;
    },
    (error: Error) => {
      message.textContent = `Could not ${command.type} ${runId}: ${error.message}`;
    },
  );
});

// Zooming into a run whose history arrived downsampled fetches the exact events of that range.
curve.addEventListener('zoom-change', (event) => {
  const { range } = (event as CustomEvent<ZoomChangeDetail>).detail;
  if (!range) return;
  for (const runId of curve.runIds ?? []) {
    const run = curve.store.get(runId);
    if (!run || !runEvents.downsampled(runId) || run.steps.length === 0) continue;
    const x = curve.xAxis === 'epoch' ? run.stepEpochs : curve.xAxis === 'time' ? run.stepTimes : run.steps;
    const n = x.length;
    const first = Math.max(0, lowerBound(x.data, n, range.min) - 1);
    const last = Math.min(n - 1, upperBound(x.data, n, range.max));
    fetchDetail({
      server,
      runId,
      fromSeq: run.stepSeqs.at(first),
      toSeq: run.stepSeqs.at(last),
      points: 4000,
    }).then(
      (events) => {
        curve.addDetail(events);
        lrChart.addDetail(events);
      },
      (error: Error) => {
        message.textContent = `Could not load detail for ${runId}: ${error.message}`;
      },
    );
  }
});

function toWire(command: RunCommand): WireCommand {
  if (command.type === 'stop')
    return {
      type: 'stop',
      ...(command.reason ? { reason: command.reason } : {}),
      ...(command.params ? { params: Array.from(command.params) } : {}),
      ...(command.bestLoss !== undefined ? { bestLoss: command.bestLoss } : {}),
      ...(command.source ? { source: command.source } : {}),
    };
  return command;
}

Object.assign(window, { downhill: { client, runEvents } });
