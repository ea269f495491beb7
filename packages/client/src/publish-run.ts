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
  /** After the run ends, how long to wait for the server to take its last events, in ms. Default 5000. */
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

    const sendPublish = (): void => {
      if (runId === undefined) return;
      published = false;
      socket.send({
        type: 'publish',
        runId,
        ...(options.token === undefined ? {} : { token: options.token }),
        ...(options.meta === undefined ? {} : { meta: options.meta }),
      });
    };

    const sendBuffered = (): void => {
      batchTimer = undefined;
      if (!published || runId === undefined) return;
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
    };

    const schedule = (): void => {
      batchTimer ??= setTimeout(sendBuffered, options.batchMs ?? 25);
    };

    const onMessage = (message: ServerMessage): void => {
      if (message.type === 'published' && message.runId === runId) {
        published = true;
        // Keep only what the server lacks, and send it (again) on this connection.
        const first = buffer.findIndex((entry) => entry.seq >= message.nextSeq);
        buffer = first === -1 ? [] : buffer.slice(first);
        unsent = 0;
        sendBuffered();
      } else if (message.type === 'command' && message.runId === runId) {
        commands.next({ ...message.command, source: message.command.source ?? 'remote' });
      } else if (
        message.type === 'error' &&
        (message.code === 'unauthorized' || message.code === 'conflict')
      ) {
        stop(new Error(`the server refused to publish run ${runId}: ${message.message}`));
      }
    };

    let drainStarted = 0;
    const closeWhenDrained = (now: number): void => {
      if (stopped) return;
      drainStarted ||= now;
      const timeout = options.finishTimeoutMs ?? 5000;
      const drained = published && unsent >= buffer.length && socket.bufferedAmount === 0;
      if (drained || now - drainStarted > timeout) {
        stop();
        return;
      }
      setTimeout(() => closeWhenDrained(Date.now()), 10);
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

    const socket = new ReconnectingSocket(options.url, options, {
      onOpen: () => {
        unsent = 0;
        sendPublish();
      },
      onMessage,
      onStatus: () => {},
    });
    socket.start();

    const run = build(commands.asObservable()).subscribe({
      next: (event) => {
        if (runId === undefined) {
          runId = event.runId;
          sendPublish();
        }
        buffer.push({ seq: event.seq, text: JSON.stringify(event) });
        schedule();
        subscriber.next(event);
      },
      error: (err: unknown) => {
        sendBuffered();
        stop(err instanceof Error ? err : new Error(String(err)));
      },
      complete: () => {
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
