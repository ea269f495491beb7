import type { RunCommand, TrainEvent } from '@downhill/core';
import { linkRun, type Spool } from '@downhill/protocol';
import { Observable, Subject } from 'rxjs';
import type { SocketOptions } from './reconnecting-socket.js';
import { webSocketTransport } from './web-socket-transport.js';

/** Options of `publishRun`. */
export interface PublishOptions extends SocketOptions {
  /** The server's URL (`http://127.0.0.1:4400`). */
  readonly url: string;
  /** The launch token the server printed (omit when the server runs without one). */
  readonly token?: string;
  /** Shown in the run list (`name`, host, command line ...). */
  readonly meta?: Record<string, unknown>;
  /**
   * Where events wait until the server's store has committed them. Default: a `MemorySpool`
   * (survives a server restart, not this process's death). In Node, a `FileSpool` from
   * `@downhill/client/node` keeps them on disk, so `downhill runs sync` can upload them later.
   */
  readonly spool?: Spool;
  /**
   * After the run ends, how long to wait for the server to acknowledge its last event, in ms.
   * Default 5000. Then the Observable errors, naming what is missing and, with a file spool, the
   * file that keeps it.
   */
  readonly finishTimeoutMs?: number;
  /** Where warnings go (server down, back). Default `console.warn` (stderr in Node). */
  readonly warn?: (message: string) => void;
}

/**
 * Trains a run in this process and streams it to a Downhill server over the run link, which
 * shows it live as if it ran there; the server's control messages for it come back as commands:
 *
 * ```ts
 * publishRun((control) => train({ ...spec, control }), { url, token }).subscribe(print);
 * ```
 *
 * Returns the run's own events (subscribing starts the run; unsubscribing stops it). Every event
 * stays in the spool until the server says its store committed it; after any reconnect (a
 * network failure, a server restart) the run is claimed again and what the server lacks is sent
 * again. The training never waits for the server and never stops because it is down, restarting
 * or refusing (a wrong token is retried too, with a warning, in case the server comes back with
 * the right one); only a server that says the run is someone else's (`conflict`) or already
 * ended ends it with an error.
 *
 * Completes once the run has ended and the server has acknowledged its last event; otherwise,
 * after `finishTimeoutMs`, errors (after every event of the run has been emitted), naming the
 * server, what it lacks and, with a file spool, where that is kept.
 */
export function publishRun(
  build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
  options: PublishOptions,
): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    const commands = new Subject<RunCommand>();
    const stop = linkRun(
      build(commands.asObservable()),
      {
        transport: webSocketTransport(options),
        target: options.url,
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
