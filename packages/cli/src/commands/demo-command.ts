import type { EndEvent } from '@downhill/core';
import { firstValueFrom, type Observable, tap } from 'rxjs';
import { startLiveLoop } from '../demo/live-loop.js';
import { type Pace, pacedRun } from '../demo/paced-run.js';
import { removeDemoRuns } from '../demo/remove-demo-runs.js';
import { type Experiment, type ExperimentRun, experimentRunEvents } from '../experiments/experiment.js';
import { experiments as allExperiments } from '../experiments/experiments.js';
import { reportExperiment } from '../experiments/report-experiment.js';
import { formatNumber } from '../format-progress.js';
import type { ProgressOutput } from '../progress-bar.js';
import { startDemoServer } from '../start-demo-server.js';

export interface DemoOptions {
  readonly output: ProgressOutput;
  /** Start the server and dashboard (default), or only print the experiments in the terminal. */
  readonly server: boolean;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly dashboard: string | undefined;
  /** How fast the live runs go; undefined: as fast as possible. */
  readonly pace: Pace | undefined;
  /** Names of the experiments to run (default: all). */
  readonly only: readonly string[] | undefined;
  /** Stop the server once every run has ended, instead of serving until interrupted. */
  readonly exitWhenDone: boolean;
  /** Fires when the user asks to stop (Ctrl-C). */
  readonly interrupt: Observable<unknown>;
  /** Host names to answer to besides loopback names and IP literals (`--allowed-hosts`). */
  readonly allowedHosts?: readonly string[];
}

function pick(only: readonly string[] | undefined): readonly Experiment[] {
  if (!only || only.length === 0) return allExperiments;
  return only.map((name) => {
    const found = allExperiments.find((e) => e.name === name);
    if (!found) {
      throw new Error(
        `unknown experiment ${JSON.stringify(name)} (known: ${allExperiments.map((e) => e.name).join(', ')})`,
      );
    }
    return found;
  });
}

function endLine(experiment: Experiment, label: string, end: EndEvent | undefined): string {
  if (!end) return `  ${experiment.name} / ${label}: interrupted\n`;
  return `  ${experiment.name} / ${label}: ${end.reason} after ${end.step} steps, loss ${formatNumber(end.loss)}\n`;
}

/** The experiment the demo keeps training, round after round, once its seed runs are going. */
const LOOPED = 'learning-rates';

/**
 * `downhill demo`: serves the dashboard and trains the seed experiments live (paced so that they
 * can be watched), printing each run's outcome as it ends; with `server: false`, trains them in
 * the terminal and prints their results and learning curves. The seed runs of an earlier demo on
 * the same store are deleted first (starting again replaces them rather than adding copies), and
 * unless it exits when done, a paced demo keeps one experiment looping with new runs (the last two
 * rounds kept), so the dashboard shows live training however late it is opened.
 */
export async function demoCommand(options: DemoOptions): Promise<void> {
  const experiments = pick(options.only);
  const { output } = options;
  if (!options.server) {
    for (const experiment of experiments) await reportExperiment(experiment, output);
    return;
  }
  const server = await startDemoServer(options);
  const removeRun = await runRemover(server.url, server.token);
  if (removeRun) {
    const removed = await removeDemoRuns({ runs: () => server.runs(), removeRun }).catch((error: Error) => {
      output.write(`could not remove the runs of an earlier demo: ${error.message}\n`);
      return 0;
    });
    if (removed > 0) output.write(`replaced ${removed} runs left by an earlier demo\n`);
  }
  const attach = (experiment: Experiment, run: ExperimentRun, meta: Record<string, unknown>) =>
    server.attach(
      (control) => experimentRunEvents(experiment, options.pace ? pacedRun(run, options.pace) : run, control),
      {
        experiment: experiment.name,
        title: experiment.title,
        run: run.label,
        description: experiment.description,
        ...meta,
      },
    );
  const attached: Promise<void>[] = [];
  let runs = 0;
  for (const experiment of experiments) {
    for (const run of experiment.runs()) {
      const live = options.pace ? pacedRun(run, options.pace) : run;
      let end: EndEvent | undefined;
      const handle = server.attach(
        (control) =>
          experimentRunEvents(experiment, live, control).pipe(
            tap((event) => {
              if (event.type === 'end') end = event;
            }),
          ),
        {
          experiment: experiment.name,
          title: experiment.title,
          run: run.label,
          description: experiment.description,
          demo: 'seed',
        },
      );
      runs++;
      attached.push(handle.done.then(() => void output.write(endLine(experiment, run.label, end))));
    }
  }
  output.write(
    `started ${runs} runs of ${experiments.length} experiments: ${experiments.map((e) => e.name).join(', ')}\n`,
  );
  output.write(`open the dashboard link above to watch and steer them; Ctrl-C stops the server\n`);
  // Listen for Ctrl-C from now on: stopping mid-demo closes the server properly too.
  const stop = firstValueFrom(options.interrupt);
  const looped = experiments.find((e) => e.name === LOOPED) ?? experiments[0];
  const loop =
    options.pace && !options.exitWhenDone && looped && removeRun
      ? startLiveLoop({
          experiment: looped,
          attach: (run, meta) => attach(looped, { ...run, label: `${run.label}, round ${meta.round}` }, meta),
          removeRun,
          onRound: (round) => {
            if (round > 1)
              output.write(`${looped.name}: live round ${round} (the last two rounds are kept)\n`);
          },
          onError: (error) => output.write(`could not remove an old loop run: ${error.message}\n`),
        })
      : undefined;
  if (loop) output.write(`${looped!.name} keeps training in new rounds while the demo is served\n`);
  const allDone = Promise.all(attached).then(() => {
    if (!options.exitWhenDone) output.write('every demo run has ended; still serving (Ctrl-C to stop)\n');
  });
  await Promise.race([options.exitWhenDone ? allDone : allDone.then(() => stop), stop]);
  output.write('stopping the server\n');
  await loop?.stop();
  await server.close();
  await removeRun?.close();
}

/**
 * Deletes runs from the demo's own server through the protocol (with the server's token), or
 * undefined when the server has no token (nothing can be deleted then).
 */
async function runRemover(
  url: string,
  token: string | undefined,
): Promise<(((runId: string) => Promise<void>) & { close(): void }) | undefined> {
  if (token === undefined) return undefined;
  const { connect } = await import('@downhill/client');
  const client = connect(url, { token });
  return Object.assign((runId: string) => client.deleteRun(runId), { close: () => client.close() });
}
