import type { RunCommand, TrainEvent } from '@downhill/core';
import { MAX_PAYLOAD_BYTES, type ServerMessage } from '@downhill/protocol';
import { Observable, Subject } from 'rxjs';
import { ReconnectingSocket, type SocketOptions } from './reconnecting-socket.js';

/** Options of `publishRun`. */
export interface PublishOptions extends SocketOptions {
  /** The server's URL (`http://127.0.0.1:4400`). */
  readonly url: string;
  /** The launch token the server printed (omit when the server runs without one). */
  readonly token?: string;
  /** Shown in the run list (`name`, host, command line ...). */
  readonly meta?: Record<string, unknown>;
  /** Events kept for resending after a reconnect. Default 100000 (older ones are lost if the server missed them). */
  readonly resendLimit?: number;
  /** How often buffered events are sent, in ms. Default 25. */
  readonly batchMs?: number;
  /** After the run ends, how long to wait for the server to acknowledge its last event before erroring, in ms. Default 5000. */
  readonly finishTimeoutMs?: number;
}

/**
 * Trains a run in this process and streams it to a Downhill server, which shows it live as if it
 * ran there; the server's control messages for it come back as commands:
 *
 * ```ts
 * publishRun((control) => train({ ...spec, control }), { url, token }).subscribe(print);
 * ```
 *
 * Returns the run's own events (subscribing starts the run; unsubscribing stops it). Events are
 * sent in batches under the server's frame limit; if the connection drops, the client reconnects
 * and resends what the server lacks (it answers `publish` with the next `seq` it expects).
 * Publishing never holds the run back: a missing server only means the events wait in a bounded buffer.
 *
 * Completes once the run has ended and the server has acknowledged its last event (asked by
 * publishing the run again on the same connection: the answer's `nextSeq` says how far the server
 * got; `run-ended` says it stored the `end`). If it has not within `finishTimeoutMs`, the
 * Observable errors, after every event of the run has been emitted, naming the server URL and the
 * events it did not acknowledge, or, when it could never be reached, the underlying error.
 * A server that refuses the run (wrong token, `conflict`) errors at once.
 */
export function publishRun(
  build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
  options: PublishOptions,
): Observable<TrainEvent> {
  return new Observable<TrainEvent>((subscriber) => {
    const commands = new Subject<RunCommand>();
    const limit = options.resendLimit ?? 100_000;
    const maxFrame = MAX_PAYLOAD_BYTES - 4096;
    /** Events the server may still need, oldest first, with their JSON. */
    let buffer: { seq: number; text: string }[] = [];
    /** Index in `buffer` of the first event not yet sent on the current connection. */
    let unsent = 0;
    let runId: string | undefined;
    let published = false;
    let batchTimer: ReturnType<typeof setTimeout> | undefined;
    /** Highest `seq` the server said it has (its `published` answers carry the next one it expects). */
    let acknowledged = -1;
    /** `seq` of the run's last event, once the run has ended. */
    let finalSeq: number | undefined;
    /** Whether a `publish` asking how far the server got is unanswered on this connection. */
    let probing = false;
    let everOpened = false;
    /** Why the last connection attempt failed or the last connection dropped. */
    let lastProblem: string | undefined;

    const sendPublish = (): void => {
      if (runId === undefined) return;
      published = false;
      probing = false;
      socket.send({
        type: 'publish',
        runId,
        ...(options.token === undefined ? {} : { token: options.token }),
        ...(options.meta === undefined ? {} : { meta: options.meta }),
      });
    };

    /**
     * Publishing the run again on the same connection has no effect on the server but its answer:
     * the server handles a connection's messages in order, so `published.nextSeq` tells how far
     * it took every batch sent before, which is what the final acknowledgement waits for.
     */
    const probe = (): void => {
      if (probing || !published || runId === undefined) return;
      probing = true;
      socket.send({
        type: 'publish',
        runId,
        ...(options.token === undefined ? {} : { token: options.token }),
      });
    };

    const sendBuffered = (): void => {
      batchTimer = undefined;
      if (!published || runId === undefined) return;
      const before = unsent;
      while (unsent < buffer.length) {
        let size = 0;
        const texts: string[] = [];
        while (
          unsent < buffer.length &&
          (texts.length === 0 || size + buffer[unsent]!.text.length < maxFrame)
        ) {
          size += buffer[unsent]!.text.length + 1;
          texts.push(buffer[unsent]!.text);
          unsent++;
        }
        socket.sendText(
          `{"type":"publishEvents","runId":${JSON.stringify(runId)},"events":[${texts.join(',')}]}`,
        );
      }
      if (buffer.length > limit) {
        const drop = buffer.length - limit;
        buffer = buffer.slice(drop);
        unsent -= drop;
      }
      if (unsent > before) probe();
    };

    const schedule = (): void => {
      batchTimer ??= setTimeout(sendBuffered, options.batchMs ?? 25);
    };

    const acknowledge = (seq: number): void => {
      acknowledged = Math.max(acknowledged, seq);
      // What the server has is never resent: keep only the rest.
      const first = buffer.findIndex((entry) => entry.seq > acknowledged);
      const dropped = first === -1 ? buffer.length : first;
      buffer = buffer.slice(dropped);
      unsent = Math.max(0, unsent - dropped);
    };

    const onMessage = (message: ServerMessage): void => {
      if (message.type === 'published' && message.runId === runId) {
        const answersProbe = published;
        published = true;
        probing = false;
        acknowledge(message.nextSeq - 1);
        // A first answer on this connection: send (again) everything the server lacks.
        if (!answersProbe) unsent = 0;
        sendBuffered();
      } else if (message.type === 'command' && message.runId === runId) {
        commands.next({ ...message.command, source: message.command.source ?? 'remote' });
      } else if (
        message.type === 'error' &&
        message.code === 'run-ended' &&
        message.runId === runId &&
        finalSeq !== undefined &&
        published
      ) {
        // The server stored the run's `end` (events arrive in order, so all of them) and let it go.
        probing = false;
        acknowledge(finalSeq);
      } else if (
        message.type === 'error' &&
        (message.code === 'unauthorized' || message.code === 'conflict' || message.code === 'run-ended')
      ) {
        stop(new Error(`publishRun: ${options.url} refused to publish run ${runId}: ${message.message}`));
      }
    };

    let drainStarted = 0;
    const closeWhenDrained = (now: number): void => {
      if (stopped) return;
      drainStarted ||= now;
      const timeout = options.finishTimeoutMs ?? 5000;
      if (finalSeq === undefined || acknowledged >= finalSeq) {
        stop();
        return;
      }
      if (now - drainStarted > timeout) {
        stop(notRecorded(finalSeq));
        return;
      }
      probe();
      setTimeout(() => closeWhenDrained(Date.now()), 10);
    };

    const notRecorded = (last: number): Error => {
      const total = last + 1;
      if (!everOpened) {
        return new Error(
          `publishRun: cannot reach the server at ${options.url} (${lastProblem ?? 'no answer'}); none of the run's ${total} events were stored`,
        );
      }
      const missing = last - acknowledged;
      const got =
        acknowledged < 0
          ? 'acknowledged no events'
          : `acknowledged events up to seq ${acknowledged} of ${last}`;
      const why = lastProblem === undefined ? '' : ` (last connection problem: ${lastProblem})`;
      return new Error(
        `publishRun: ${options.url} ${got}; the other ${missing} of the run's ${total} events were not stored${why}`,
      );
    };

    let stopped = false;
    const stop = (error?: Error): void => {
      if (stopped) return;
      stopped = true;
      clearTimeout(batchTimer);
      socket.close();
      if (error) subscriber.error(error);
      else subscriber.complete();
    };

    let finalSeqCandidate: number | undefined;
    const socket = new ReconnectingSocket(options.url, options, {
      onOpen: () => {
        everOpened = true;
        unsent = 0;
        sendPublish();
      },
      onMessage,
      onStatus: (_status, detail) => {
        // Reported at the end if the run is not stored (a `closed` detail: another protocol version).
        if (detail !== undefined) lastProblem = detail;
      },
    });
    socket.start();

    const run = build(commands.asObservable()).subscribe({
      next: (event) => {
        if (runId === undefined) {
          runId = event.runId;
          sendPublish();
        }
        buffer.push({ seq: event.seq, text: JSON.stringify(event) });
        finalSeqCandidate = event.seq;
        schedule();
        subscriber.next(event);
      },
      error: (err: unknown) => {
        sendBuffered();
        stop(err instanceof Error ? err : new Error(String(err)));
      },
      complete: () => {
        finalSeq = finalSeqCandidate;
        clearTimeout(batchTimer);
        sendBuffered();
        closeWhenDrained(Date.now());
      },
    });

    return () => {
      run.unsubscribe();
      commands.complete();
      if (!stopped) {
        stopped = true;
        clearTimeout(batchTimer);
        socket.close();
      }
    };
  });
}
