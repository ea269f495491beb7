// The dashboard page: the server's runs through @downhill/client into the @downhill/dashboard
// components. The server URL is this page's origin (or ?server=...); the launch token, needed for
// the controls, comes from the link the server printed (#token=... or ?token=...).
import { connect } from '@downhill/client';
import type { RunCommand } from '@downhill/core';
import { fromServerRun, type RunCommandEvent, type RunSummary } from '@downhill/dashboard';
import '@downhill/dashboard';
import type { WireCommand } from '@downhill/protocol';
import { map } from 'rxjs';
import { launchToken, serverUrl } from './location-settings.js';
import { RunEvents } from './run-events.js';

const client = connect(serverUrl(location), { token: launchToken(location, sessionStorage) });
const runEvents = new RunEvents(client);

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

/** Shows the selected runs (or the focused one) in the charts, the focused one in the controls. */
function refresh(): void {
  const focused = runs.find((r) => r.runId === list.focused);
  controls.run = focused;
  const selected = runs.filter((r) => list.selected.includes(r.runId));
  table.runs = selected;
  const shown = selected.length > 0 ? selected.map((r) => r.runId) : focused ? [focused.runId] : [];
  const key = shown.join('\n');
  if (key === shownKey) return;
  shownKey = key;
  const events = runEvents.merged(shown);
  for (const chart of [curve, lrChart, trajectory]) {
    chart.events = events;
    chart.runIds = shown;
  }
  trajectory.hidden = !shown.some((id) => runEvents.parameterCount(id) === 2);
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
