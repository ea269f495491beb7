import { timingSafeEqual } from 'node:crypto';
import type { RunCommand, TrainEvent } from '@downhill/core';
import { type ClientMessage, decodeClientMessage, SUBPROTOCOL } from '@downhill/protocol';
import type { WebSocket } from 'ws';
import type { Connection } from './connection.js';
import { LiveRun } from './live-run.js';
import type { RunHub } from './run-hub.js';
import type { Subscriber } from './subscriber.js';
import { newSummary } from './summarize-event.js';

/**
 * Speaks the protocol on each socket: decodes and validates every frame (a bad one gets an
 * `error` reply, the connection stays up), answers requests, checks the token, routes control
 * messages to runs and takes events from publishers, all through the hub.
 */
export class MessageHandler {
  constructor(private readonly hub: RunHub) {}

  /** Adopts a socket that passed the upgrade checks. */
  open(socket: WebSocket): void {
    if (socket.protocol !== SUBPROTOCOL) {
      const offered =
        socket.protocol === '' ? 'no subprotocol' : `subprotocol ${JSON.stringify(socket.protocol)}`;
      socket.close(
        4001,
        `unsupported protocol: the client offered ${offered}, this server speaks ${SUBPROTOCOL}`,
      );
      return;
    }
    const connection: Connection = {
      subscriptions: new Map(),
      watching: false,
      watchStale: false,
      publishing: new Set(),
    };
    this.hub.connections.set(socket, connection);
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.hub.sendError(
          socket,
          'invalid-message',
          'binary frames are not part of the protocol: send JSON text',
        );
        return;
      }
      const size = (data as Buffer).length;
      if (size > this.hub.options.maxPayload) {
        this.hub.sendError(
          socket,
          'too-large',
          `frame of ${size} bytes refused: the limit is ${this.hub.options.maxPayload} bytes (send events in smaller batches)`,
        );
        return;
      }
      this.receive(socket, connection, data.toString());
    });
    socket.on('close', () => this.closed(socket, connection));
    this.sendWelcome(socket);
  }

  private sendWelcome(socket: WebSocket): void {
    this.hub.send(socket, {
      type: 'welcome',
      protocol: SUBPROTOCOL,
      server: this.hub.options.serverName,
      tokenRequired: this.hub.options.token !== undefined,
      heartbeatMs: this.hub.options.heartbeatMs,
    });
  }

  private closed(socket: WebSocket, connection: Connection): void {
    this.hub.connections.delete(socket);
    for (const subscriber of connection.subscriptions.values()) this.hub.lagging.delete(subscriber);
    for (const runId of connection.publishing) {
      const run = this.hub.live.get(runId);
      if (!run || run.publisher !== socket) continue;
      run.publisher = undefined;
      if (!run.ended) {
        // The trainer went away without an `end` event: keep what arrived, mark the run.
        run.summary.status = 'interrupted';
        run.ended = true;
        this.hub.markSummary(run, true);
      }
    }
    if (connection.publishing.size > 0) this.hub.flush();
  }

  private receive(socket: WebSocket, connection: Connection, text: string): void {
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.hub.sendError(
        socket,
        decoded.code,
        decoded.error,
        decoded.requestId === undefined ? {} : { requestId: decoded.requestId },
      );
      return;
    }
    try {
      this.handle(socket, connection, decoded.message);
    } catch (err) {
      // A bug or a store failure answers this message only; the connection and the others go on.
      this.hub.sendError(
        socket,
        'invalid-message',
        `the server could not handle this message: ${(err as Error).message}`,
      );
    }
  }

  private handle(socket: WebSocket, connection: Connection, message: ClientMessage): void {
    switch (message.type) {
      case 'hello':
        this.sendWelcome(socket);
        return;
      case 'ping':
        this.hub.send(socket, { type: 'pong', id: message.id });
        return;
      case 'listRuns':
        connection.watching = connection.watching || message.watch === true;
        this.hub.send(socket, {
          type: 'runs',
          runs: this.hub.listRuns(),
          ...(message.requestId ? { requestId: message.requestId } : {}),
        });
        return;
      case 'unwatchRuns':
        connection.watching = false;
        return;
      case 'subscribe': {
        if (!this.hub.summaryOf(message.runId)) {
          this.hub.sendError(socket, 'unknown-run', `no run with id ${JSON.stringify(message.runId)}`, {
            runId: message.runId,
          });
          return;
        }
        const previous = connection.subscriptions.get(message.runId);
        if (previous) this.hub.lagging.delete(previous);
        const subscriber: Subscriber = {
          socket,
          runId: message.runId,
          sentSeq: (message.fromSeq ?? 0) - 1,
          maxPoints: message.maxPoints,
          historyDone: false,
          lagging: true,
        };
        connection.subscriptions.set(message.runId, subscriber);
        this.hub.lagging.add(subscriber);
        this.hub.pump(subscriber);
        return;
      }
      case 'unsubscribe': {
        const subscriber = connection.subscriptions.get(message.runId);
        if (subscriber) this.hub.lagging.delete(subscriber);
        connection.subscriptions.delete(message.runId);
        return;
      }
      case 'control':
        this.control(socket, message);
        return;
      case 'publish':
        this.publish(socket, connection, message);
        return;
      case 'publishEvents':
        this.publishEvents(socket, connection, message);
        return;
    }
  }

  private authorized(token: string | undefined): boolean {
    const expected = this.hub.options.token;
    if (expected === undefined) return true;
    if (token === undefined) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private control(socket: WebSocket, message: Extract<ClientMessage, { type: 'control' }>): void {
    const ids = { runId: message.runId, ...(message.requestId ? { requestId: message.requestId } : {}) };
    if (!this.authorized(message.token)) {
      this.hub.sendError(
        socket,
        'unauthorized',
        'control messages need the token the server printed at start-up',
        ids,
      );
      return;
    }
    const run = this.hub.live.get(message.runId);
    if (!run) {
      const known = this.hub.summaryOf(message.runId);
      if (known)
        this.hub.sendError(
          socket,
          'run-ended',
          `run ${message.runId} is ${known.status}: it takes no commands`,
          ids,
        );
      else this.hub.sendError(socket, 'unknown-run', `no run with id ${JSON.stringify(message.runId)}`, ids);
      return;
    }
    if (run.ended || (!run.commands && !run.publisher)) {
      this.hub.sendError(socket, 'run-ended', `run ${message.runId} has ended: it takes no commands`, ids);
      return;
    }
    const command: RunCommand = { ...message.command, source: message.command.source ?? 'remote' };
    if (run.commands) run.commands.next(command);
    else this.hub.send(run.publisher!, { type: 'command', runId: message.runId, command: message.command });
    this.hub.send(socket, { type: 'ack', ...ids });
  }

  private publish(
    socket: WebSocket,
    connection: Connection,
    message: Extract<ClientMessage, { type: 'publish' }>,
  ): void {
    const { runId } = message;
    if (!this.authorized(message.token)) {
      this.hub.sendError(
        socket,
        'unauthorized',
        'publishing a run needs the token the server printed at start-up',
        { runId },
      );
      return;
    }
    let run = this.hub.live.get(runId);
    if (run?.commands) {
      this.hub.sendError(socket, 'conflict', `run ${runId} is being trained inside the server's process`, {
        runId,
      });
      return;
    }
    const previous = run?.publisher;
    if (run && previous && previous !== socket) {
      // A trainer that lost its connection may reconnect before the server notices the old one
      // died: the newer connection (it has the token too) takes over the run.
      this.hub.connections.get(previous)?.publishing.delete(runId);
      this.hub.sendError(previous, 'conflict', `run ${runId} was taken over by a newer connection`, {
        runId,
      });
    }
    if (!run) {
      const stored = this.hub.store.getRun(runId);
      if (stored?.status === 'ended') {
        this.hub.sendError(socket, 'run-ended', `run ${runId} has ended: start a new run with a new id`, {
          runId,
        });
        return;
      }
      const summary = stored
        ? { ...stored, status: 'running' as const, meta: { ...stored.meta, ...message.meta } }
        : newSummary(runId, 'remote', message.meta ?? {}, Date.now());
      run = new LiveRun(summary, undefined, socket);
      this.hub.live.set(runId, run);
      this.hub.markSummary(run, true);
    }
    run.publisher = socket;
    connection.publishing.add(runId);
    this.hub.send(socket, { type: 'published', runId, nextSeq: run.nextSeq });
  }

  private publishEvents(
    socket: WebSocket,
    connection: Connection,
    message: Extract<ClientMessage, { type: 'publishEvents' }>,
  ): void {
    const { runId } = message;
    const run = this.hub.live.get(runId);
    if (!run || run.publisher !== socket || !connection.publishing.has(runId)) {
      this.hub.sendError(socket, 'not-publisher', `send "publish" for run ${runId} before its events`, {
        runId,
      });
      return;
    }
    for (const event of message.events) {
      if (event.runId !== runId) {
        this.hub.sendError(
          socket,
          'invalid-message',
          `event seq ${event.seq} has runId ${event.runId}, not ${runId}`,
          { runId },
        );
        return;
      }
      if (event.seq < run.nextSeq) continue; // resent after a reconnect: already here
      if (event.seq > run.nextSeq || run.ended) {
        const why = run.ended ? 'the run has ended' : `expected seq ${run.nextSeq}, got ${event.seq}`;
        this.hub.sendError(socket, 'invalid-message', `event refused: ${why}`, { runId });
        return;
      }
      this.hub.ingest(run, event as TrainEvent);
    }
  }
}
