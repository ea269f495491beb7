import type { RunCommand, TrainEvent } from '@downhill/core';
import type { Observable } from 'rxjs';
import { type LinkPublishOptions, publishOver } from './publish-over.js';
import type { SocketOptions } from './reconnecting-socket.js';
import { webSocketTransport } from './web-socket-transport.js';

/** Options of `publishRun`. */
export interface PublishOptions extends SocketOptions, LinkPublishOptions {
  /** The server's URL (`http://127.0.0.1:4400`). */
  readonly url: string;
  /** The launch token the server printed (omit when the server runs without one). */
  readonly token?: string;
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
  return publishOver(build, { transport: webSocketTransport(options), target: options.url }, options);
}
