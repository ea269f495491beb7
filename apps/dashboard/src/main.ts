// The dashboard page: the server's runs through @downhill/client into the @downhill/dashboard
// components. The server URL is this page's origin (or ?server=...); the launch token, needed for
// the controls and for renaming, tagging and deleting runs, comes from the link the server printed
// (#token=... or ?token=...) and is kept per server for this tab. The view (filter, selection,
// grouping, sorting, hidden runs, smoothing, axes, zoom) lives in the URL and in local storage.
import { connect } from '@downhill/client';
import type { RunCommand } from '@downhill/core';
import {
  type DownhillMetricChart,
  fromServerRun,
  gridFromSlice,
  groupRuns,
  isLandscapeSlice,
  type LandscapeSlice,
  lowerBound,
  type RunCommandEvent,
  type RunEditDetail,
  RunStoreFeed,
  type RunSummary,
  recordedMetrics,
  upperBound,
  type ZoomChangeDetail,
} from '@downhill/dashboard';
import '@downhill/dashboard';
import type { WireCommand } from '@downhill/protocol';
import { fetchDetail } from './fetch-detail.js';
import { launchToken, maxPoints, serverUrl } from './location-settings.js';
import { RunEvents } from './run-events.js';
import { decodeView, hasView, type ViewState, withView } from './view-state.js';

const server = serverUrl(location);
const { token, fromLink } = launchToken(location, sessionStorage, server);
if (fromLink) {
  // The token stays in this tab's storage, out of the address bar: a copied link never carries it.
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const search = new URLSearchParams(location.search);
  hash.delete('token');
  search.delete('token');
  const [h, q] = [hash.toString(), search.toString()];
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${h ? `#${h}` : ''}`);
}
const client = connect(server, token ? { token } : {});
const points = maxPoints(location);
const runEvents = new RunEvents(client, points === undefined ? {} : { maxPoints: points });
const viewKey = `downhill.view:${server}`;

const status = document.querySelector('downhill-connection-status')!;
const list = document.querySelector('downhill-run-list')!;
const controls = document.querySelector('downhill-run-controls')!;
const table = document.querySelector('downhill-comparison-table')!;
const curve = document.querySelector('downhill-learning-curve')!;
const lrChart = document.querySelector('downhill-learning-rate-chart')!;
const trajectory = document.querySelector('downhill-trajectory')!;
const message = document.querySelector<HTMLElement>('#message')!;
const toggleRuns = document.querySelector<HTMLButtonElement>('#toggle-runs')!;
const copyLink = document.querySelector<HTMLButtonElement>('#copy-link')!;
const chartsSection = document.querySelector<HTMLElement>('.charts')!;
/** One chart per metric the shown runs record, beyond loss and learning rate. */
const metricCharts = new Map<string, DownhillMetricChart>();
/** The shown runs' events, stored once for every chart and the trajectory. */
const feed = new RunStoreFeed();
for (const chart of [curve, lrChart, trajectory]) chart.feed = feed;
/** Best losses of runs the page held before the charts moved to other runs (the feed forgets them). */
const bestSeen = new Map<string, number>();
function rememberBestLosses(): void {
  for (const run of feed.store.runs())
    if (Number.isFinite(run.bestLoss)) bestSeen.set(run.runId, run.bestLoss);
}

const readonlyReason =
  'Read-only: no launch token in this tab. Open the link with #token=… that `downhill serve` printed to control, rename, tag or delete runs.';
controls.readonly = token === undefined;
controls.readonlyReason = readonlyReason;
list.editable = token !== undefined;
list.readonlyReason = readonlyReason;

// The view: from the link when it has one, else as this browser last left it for this server.
const params = new URLSearchParams(location.search);
const stored = localStorage.getItem(viewKey);
const { state: initial, problems } = decodeView(
  hasView(params) || stored === null ? params : new URLSearchParams(stored),
);
if (problems.length > 0) message.textContent = `Ignored in the link: ${problems.join('; ')}`;
let zoom = initial.zoom;
applyView(initial);

function applyView(view: ViewState): void {
  list.filter = view.filter;
  list.selected = view.selected;
  list.focused = view.focused;
  list.sortKey = view.sortKey;
  list.sortDirection = view.sortDirection;
  list.groupBy = view.groupBy;
  list.hiddenRuns = view.hidden;
  list.showHidden = view.showHidden;
  curve.smoothing = view.smoothing;
  curve.yScale = view.yScale;
  curve.xAxis = view.xAxis;
  curve.showOutliers = view.showOutliers;
  if (view.zoom) curve.zoomTo(view.zoom);
}

function currentView(): ViewState {
  return {
    filter: list.filter,
    selected: list.selected,
    focused: list.focused,
    sortKey: list.sortKey,
    sortDirection: list.sortDirection,
    groupBy: list.groupBy,
    hidden: list.hiddenRuns,
    showHidden: list.showHidden,
    smoothing: curve.smoothing,
    yScale: curve.yScale,
    xAxis: curve.xAxis,
    showOutliers: curve.showOutliers,
    zoom: zoom,
  };
}

/** Writes the view to the URL (replacing, not adding history entries) and to local storage. */
function saveView(): void {
  const view = currentView();
  const search = withView(location.search, view);
  history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
  localStorage.setItem(viewKey, withView('', view).replace(/^\?/, ''));
}

// The run panel: collapsible (remembered), resizable by its corner (CSS).
const collapsedKey = 'downhill.runsCollapsed';
function setCollapsed(collapsed: boolean): void {
  document.body.classList.toggle('runs-collapsed', collapsed);
  toggleRuns.setAttribute('aria-expanded', String(!collapsed));
  localStorage.setItem(collapsedKey, collapsed ? '1' : '0');
}
setCollapsed(localStorage.getItem(collapsedKey) === '1');
toggleRuns.addEventListener('click', () => setCollapsed(!document.body.classList.contains('runs-collapsed')));
copyLink.addEventListener('click', () => {
  saveView();
  navigator.clipboard?.writeText(location.href).then(
    () => {
      message.textContent = 'Link to this view copied (it carries no token).';
    },
    () => {
      message.textContent = `Link to this view: ${location.href}`;
    },
  );
});

status.state = client.status$;
let runs: readonly RunSummary[] = [];
let shownKey = '';
let followNewest = initial.selected.length === 0 && initial.focused === undefined;

client.runs().subscribe((serverRuns) => {
  runs = serverRuns.map(fromServerRun).map(withBestLoss);
  list.runs = runs;
  // Until the user picks one, follow the newest live run.
  if (followNewest || (list.focused !== undefined && !runs.some((r) => r.runId === list.focused))) {
    const next = (runs.find((r) => r.status === 'running') ?? runs[0])?.runId;
    if (next !== list.focused) list.focused = next;
  }
  refresh();
});

/**
 * The best loss of the run's events when the page holds them (the runs on the charts, and any run
 * shown earlier in this tab): newer than the server's summary, which it sends at most twice a
 * second; otherwise the server's.
 */
function withBestLoss(run: RunSummary): RunSummary {
  const best = feed.store.get(run.runId)?.bestLoss ?? bestSeen.get(run.runId);
  if (best === undefined || !Number.isFinite(best) || best === run.bestLoss) return run;
  return { ...run, bestLoss: best };
}

/**
 * As the shown runs' events arrive, their best loss reaches the run list (at most once a second:
 * it re-sorts a list that may hold thousands of runs).
 */
let bestLossTimer: ReturnType<typeof setTimeout> | undefined;
feed.subscribe(() => {
  showSettable();
  if (bestLossTimer !== undefined) return;
  bestLossTimer = setTimeout(() => {
    bestLossTimer = undefined;
    rememberBestLosses();
    const next = runs.map(withBestLoss);
    if (next.some((run, i) => run !== runs[i])) {
      runs = next;
      list.runs = runs;
      refresh();
    }
  }, 1000);
});

/** The runs on the charts: the selected ones, else the focused one. */
function shownRuns(): string[] {
  const known = new Set(runs.map((r) => r.runId));
  const selected = list.selected.filter((id) => known.has(id));
  if (selected.length > 0) return selected;
  return list.focused && known.has(list.focused) ? [list.focused] : [];
}

let controlled: string | undefined;

/** The hyperparameters the controlled run accepts live, from its start event once the page has it. */
function showSettable(): void {
  const settable = controlled === undefined ? undefined : feed.store.get(controlled)?.config?.settable;
  if (settable !== controls.settable) controls.settable = settable;
}

/** Shows the shown runs in the charts, their summary in the table, one of them in the controls. */
function refresh(): void {
  const shown = shownRuns();
  const shownSummaries = shown.map((id) => runs.find((r) => r.runId === id)!).map(withBestLoss);
  list.shown = shown;
  table.runs = shownSummaries;
  // The controls act on a run on the charts: the one picked, else the first live one.
  if (!controlled || !shown.includes(controlled))
    controlled = (
      shownSummaries.find((r) => r.status === 'running' || r.status === 'paused') ?? shownSummaries[0]
    )?.runId;
  controls.runs = shownSummaries;
  controls.run = shownSummaries.find((r) => r.runId === controlled);
  showSettable();
  curve.groups = list.groupBy
    ? groupRuns(
        list.visibleRuns.filter((r) => shown.includes(r.runId)),
        list.groupBy,
      )
    : undefined;
  const key = shown.join('\n');
  if (key !== shownKey) {
    shownKey = key;
    rememberBestLosses();
    feed.source = runEvents.merged(shown);
    for (const chart of [curve, lrChart, trajectory, ...metricCharts.values()]) chart.runIds = shown;
  }
  showTrajectory(shown);
  syncMetricCharts();
}

/** Adds a chart for each metric the shown runs have recorded so far (they appear as epochs end). */
function syncMetricCharts(): void {
  const shown = curve.runIds ?? [];
  const wanted = recordedMetrics(curve.store.runs(shown));
  for (const [metric, chart] of metricCharts)
    if (!wanted.includes(metric)) {
      chart.remove();
      metricCharts.delete(metric);
    }
  for (const metric of wanted) {
    if (metricCharts.has(metric)) continue;
    const chart = document.createElement('downhill-metric-chart');
    chart.metric = metric;
    chart.feed = feed;
    chart.runIds = shown;
    chartsSection.append(chart);
    metricCharts.set(metric, chart);
  }
}
setInterval(syncMetricCharts, 1000);

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

list.addEventListener('run-focus', () => {
  followNewest = false;
  refresh();
  saveView();
});
list.addEventListener('selection-change', () => {
  followNewest = false;
  refresh();
  saveView();
});
list.addEventListener('list-change', () => {
  refresh();
  saveView();
});
curve.addEventListener('options-change', saveView);
controls.addEventListener('controls-run-change', (event) => {
  controlled = (event as CustomEvent<{ runId: string }>).detail.runId;
});
runEvents.onStart = refresh;

const pastTense: Record<RunCommand['type'], string> = {
  stop: 'Stop sent to',
  pause: 'Paused',
  resume: 'Resumed',
  set: 'Set',
};

document.addEventListener('run-command', (event) => {
  const { runId, command } = (event as RunCommandEvent).detail;
  const name = runs.find((r) => r.runId === runId)?.name ?? runId;
  const what =
    command.type === 'set'
      ? `${pastTense.set} ${command.name} = ${command.value} on`
      : pastTense[command.type];
  client.control(runId, toWire(command)).then(
    () => {
      controls.notice = `${what} “${name}”`;
    },
    (error: Error) => {
      controls.notice = `Could not ${command.type} “${name}”: ${error.message}`;
    },
  );
});

list.addEventListener('run-edit', (event) => {
  const detail = (event as CustomEvent<RunEditDetail>).detail;
  const name = runs.find((r) => r.runId === detail.runId)?.name ?? detail.runId;
  const done =
    detail.action === 'delete'
      ? client.deleteRun(detail.runId)
      : client.updateRun(
          detail.runId,
          detail.action === 'rename' ? { name: detail.name } : { tags: detail.tags },
        );
  done.then(
    () => {
      message.textContent =
        detail.action === 'delete'
          ? `Deleted “${name}”`
          : detail.action === 'rename'
            ? `Renamed “${name}” to “${detail.name}”`
            : `Tagged “${name}”: ${detail.tags.join(', ') || '(no tags)'}`;
    },
    (error: Error) => {
      message.textContent = `Could not ${detail.action} “${name}”: ${error.message}`;
    },
  );
});

// Zooming into a run whose history arrived downsampled fetches the exact events of that range.
curve.addEventListener('zoom-change', (event) => {
  const { range } = (event as CustomEvent<ZoomChangeDetail>).detail;
  zoom = range;
  saveView();
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
        // One store: merging once updates every chart that draws from it.
        curve.addDetail(events);
        for (const chart of [lrChart, ...metricCharts.values()]) chart.requestUpdate();
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
