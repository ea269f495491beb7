import type { RunCommand, TrainEvent } from '@downhill/core';
import { linkRun, type RunLinkTransport } from '@downhill/protocol';
import { type Observable, Subject } from 'rxjs';

/** An in-process run attached to the server. */
export interface AttachedRun {
  /** Resolves with the run's id once its `start` event arrived; rejects if the run never started or was refused. */
  readonly runId: Promise<string>;
  /** Resolves when the run's observable completed (or failed, or was detached) and its events are stored. */
  readonly done: Promise<void>;
  /** Unsubscribes from the run, which stops it; what it produced is still stored, and the run is recorded as `interrupted`. */
  detach(): void;
}

/**
 * Trains a run in this process over a run link (`transport`: straight into the hub, or to the
 * server's thread): the same link, acknowledgement and resend rules as a run published from
 * another process. Commands from the server reach the run through `build`'s `control`.
 */
export function attachRun(
  build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
  options: {
    readonly transport: RunLinkTransport;
    readonly meta: Readonly<Record<string, unknown>>;
    readonly target: string;
    readonly log: (message: string) => void;
  },
): AttachedRun {
  const commands = new Subject<RunCommand>();
  let resolveId!: (runId: string) => void;
  let rejectId!: (err: Error) => void;
  const runId = new Promise<string>((resolve, reject) => {
    resolveId = resolve;
    rejectId = reject;
  });
  runId.catch(() => {}); // a caller that only awaits `done` must not see an unhandled rejection
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  let started = false;
  let finished = false;
  let runError: unknown;
  const finish = (error?: Error): void => {
    if (finished) return;
    finished = true;
    commands.complete();
    if (!started) rejectId(error ?? new Error('the run completed without a start event'));
    // The run's own failure is the run's business (its `end` event says it); the link's is the server's.
    else if (error && error !== runError) options.log(`downhill server: ${error.message}`);
    resolveDone();
  };
  const run = build(commands.asObservable());
  const stop = linkRun(
    {
      subscribe: (observer) =>
        run.subscribe({
          ...observer,
          error: (err: unknown) => {
            runError = err;
            observer.error(err);
          },
        }),
    },
    {
      transport: options.transport,
      meta: options.meta,
      target: options.target,
      finishTimeoutMs: 60_000,
      warn: options.log,
    },
    {
      next: () => {},
      attached: (id) => {
        if (!started) {
          started = true;
          resolveId(id);
        }
      },
      command: (command) => commands.next(command),
      done: (error) => finish(error),
    },
  );
  return {
    runId,
    done,
    detach: () => stop(),
  };
}
