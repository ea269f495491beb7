import type { RunCommand, TrainEvent } from '@downhill/core';
import { linkRun, type RunLinkTransport, type Spool } from '@downhill/protocol';
import { Observable, Subject } from 'rxjs';

/** What every way of publishing a run takes, whatever carries it (`publishRun`, `publishRunToRedis`). */
export interface LinkPublishOptions {
  /** Shown in the run list (`name`, host, command line ...). */
  readonly meta?: Record<string, unknown>;
  /**
   * Where events wait until a server's store has committed them. Default: a `MemorySpool`
   * (survives a server restart, not this process's death). In Node, a `FileSpool` from
   * `@downhill/client/node` keeps them on disk, so `downhill runs sync` can upload them later.
   */
  readonly spool?: Spool;
  /**
   * After the run ends, how long to wait for the acknowledgement of its last event, in ms.
   * Default 5000. Then the Observable errors, naming what is missing and, with a file spool, the
   * file that keeps it.
   */
  readonly finishTimeoutMs?: number;
  /** Where warnings go (server or Redis down, back). Default `console.warn` (stderr in Node). */
  readonly warn?: (message: string) => void;
}

/**
 * The run `build` makes, trained in this process and published over `transport` through the run
 * link; returns the run's own events (subscribing starts it, unsubscribing stops it), and hands the
 * commands that come back to `build`'s control stream. `target` names the destination in messages.
 */
export function publishOver(
  build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
  link: { readonly transport: RunLinkTransport; readonly target: string },
  options: LinkPublishOptions,
): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    const commands = new Subject<RunCommand>();
    const stop = linkRun(
      build(commands.asObservable()),
      {
        ...link,
        ...(options.spool === undefined ? {} : { spool: options.spool }),
        ...(options.meta === undefined ? {} : { meta: options.meta }),
        ...(options.finishTimeoutMs === undefined ? {} : { finishTimeoutMs: options.finishTimeoutMs }),
        ...(options.warn === undefined ? {} : { warn: options.warn }),
      },
      {
        next: (event) => subscriber.next(event),
        command: (command) => commands.next(command),
        done: (error) => {
          commands.complete();
          if (error) subscriber.error(error);
          else subscriber.complete();
        },
      },
    );
    return () => {
      stop();
      commands.complete();
    };
  });
}
