// The trainer of the fan-out benchmark's published scenario, in its own process (as
// `downhill train --server` runs): the same run as the in-process scenario, either alone (no
// server) or streamed to the server with `publishRun`. It reports its own steps per second, from
// subscribing to the run until the run's `end` event (train()'s wall time, without waiting for the
// server's acknowledgement), and the wall clock of the run's start for the clients' latencies.
import { publishRun } from '@downhill/client';
import { FileSpool } from '@downhill/client/node';
import type { RunCommand, TrainEvent } from '@downhill/core';
import type { Observable } from 'rxjs';
import { tinyRun } from '../test/tiny-training.js';

export interface TrainJob {
  readonly type: 'train';
  readonly runId: string;
  readonly steps: number;
  readonly workMs: number;
  /** The server to publish to; train alone when absent. */
  readonly url?: string;
  /** Keep unacknowledged events in this spool file (as `downhill train --server` does) rather than in memory. */
  readonly spool?: string;
}

export type TrainerMessage =
  | { readonly type: 'started'; readonly runId: string; readonly t0: number }
  | {
      readonly type: 'trained';
      readonly runId: string;
      readonly stepsPerSecond: number;
      readonly ackMs: number;
      /** CPU time (user + system) this process used from subscribing to the run until its `end`, in ms. */
      readonly cpuMs: number;
    };

const send = (message: TrainerMessage): void => {
  process.send!(message);
};

function runJob(job: TrainJob): void {
  const build = (control?: Observable<RunCommand>) =>
    tinyRun({ steps: job.steps, workMs: job.workMs, runId: job.runId }, control);
  const events =
    job.url === undefined
      ? build()
      : publishRun(build, { url: job.url, ...(job.spool ? { spool: new FileSpool(job.spool) } : {}) });
  let ended = 0;
  let cpu: NodeJS.CpuUsage | undefined;
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  events.subscribe({
    next: (event: TrainEvent) => {
      if (event.type === 'start') {
        send({ type: 'started', runId: job.runId, t0: performance.timeOrigin + performance.now() });
      }
      if (event.type === 'end') {
        ended = performance.now();
        cpu = process.cpuUsage(cpuAtStart);
      }
    },
    error: (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
    complete: () => {
      send({
        type: 'trained',
        runId: job.runId,
        stepsPerSecond: job.steps / ((ended - started) / 1000),
        ackMs: performance.now() - ended,
        cpuMs: (cpu!.user + cpu!.system) / 1000,
      });
    },
  });
}

process.on('message', (message: TrainJob | { type: 'exit' }) => {
  if (message.type === 'exit') process.exit(0);
  else runJob(message);
});
process.send!({ type: 'ready' });
