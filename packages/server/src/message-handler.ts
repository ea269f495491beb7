import { timingSafeEqual } from 'node:crypto';
import type { RunCommand, TrainEvent } from '@downhill/core';
import { type ClientMessage, decodeClientMessage, SUBPROTOCOL, type WireCommand } from '@downhill/protocol';
import type { WebSocket } from 'ws';
import type { Connection } from './connection.js';
import { addEventPart } from './event-parts.js';
import type { LinkEndpoint } from './live-run.js';
import type { RunHub } from './run-hub.js';
import type { Subscriber } from './subscriber.js';

/** Subscriptions one connection may hold at once. */
const MAX_SUBSCRIPTIONS = 256;

/**
 * Speaks the protocol on each socket: decodes and validates every frame (a bad one gets an
 * `error` reply, the connection stays up), answers requests, checks the token, and is the
 * WebSocket transport's server side of the run link (publish, events, acks, commands).
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
    const hub = this.hub;
    const endpoint: LinkEndpoint = {
      origin: 'remote',
      attached: (runId, nextSeq) => hub.viewers.send(socket, { type: 'published', runId, nextSeq }),
      acked: (runId, seq) => hub.viewers.send(socket, { type: 'acked', runId, seq }),
      command: (runId, command) =>
        hub.viewers.send(socket, {
          type: 'command',
          runId,
          command:
            command.type === 'stop' && command.params !== undefined
              ? { ...command, params: Array.from(command.params) }
              : (command as WireCommand),
        }),
      refused: (runId, code, message) => {
        if (code === 'conflict') connection.publishing.delete(runId);
        hub.viewers.sendError(socket, code, message, { runId });
      },
    };
    const connection: Connection = {
      subscriptions: new Map(),
      watching: false,
      watchStale: false,
      listPending: undefined,
      publishing: new Set(),
      endpoint,
      parts: undefined,
    };
    hub.viewers.connections.set(socket, connection);
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        hub.viewers.sendError(
          socket,
          'invalid-message',
          'binary frames are not part of the protocol: send JSON text',
        );
        return;
      }
      const size = (data as Buffer).length;
      if (size > hub.options.maxPayload) {
        hub.viewers.sendError(
          socket,
          'too-large',
          `frame of ${size} bytes refused: the limit is ${hub.options.maxPayload} bytes (send events in smaller batches, or a large event in publishEventPart pieces)`,
        );
        return;
      }
      this.receive(socket, connection, data.toString());
    });
    socket.on('close', () => this.closed(socket, connection));
    this.sendWelcome(socket);
  }

  private sendWelcome(socket: WebSocket): void {
    this.hub.viewers.send(socket, {
      type: 'welcome',
      protocol: SUBPROTOCOL,
      server: this.hub.options.serverName,
      tokenRequired: this.hub.options.token !== undefined,
      heartbeatMs: this.hub.options.heartbeatMs,
    });
  }

  private closed(socket: WebSocket, connection: Connection): void {
    this.hub.viewers.connections.delete(socket);
    for (const subscriber of connection.subscriptions.values()) this.hub.viewers.lagging.delete(subscriber);
    this.hub.release(connection.endpoint);
  }

  private receive(socket: WebSocket, connection: Connection, text: string): void {
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      this.hub.viewers.sendError(
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
      // A bug answers this message only; the connection and the others go on.
      this.hub.viewers.sendError(
        socket,
        'invalid-message',
        `the server could not handle this message: ${(err as Error).message}`,
      );
    }
  }

  private handle(socket: WebSocket, connection: Connection, message: ClientMessage): void {
    const hub = this.hub;
    switch (message.type) {
      case 'hello':
        this.sendWelcome(socket);
        return;
      case 'ping':
        hub.viewers.send(socket, { type: 'pong', id: message.id });
        return;
      case 'listRuns':
        connection.watching = connection.watching || message.watch === true;
        if (socket.bufferedAmount >= hub.options.highWaterMark) {
          // Answered once the client reads again; a flood of requests costs one answer.
          connection.listPending = { requestId: message.requestId };
          return;
        }
        hub.viewers.send(socket, {
          type: 'runs',
          runs: hub.listRuns(),
          ...(message.requestId ? { requestId: message.requestId } : {}),
        });
        return;
      case 'unwatchRuns':
        connection.watching = false;
        return;
      case 'subscribe':
        this.subscribe(socket, connection, message);
        return;
      case 'unsubscribe': {
        const subscriber = connection.subscriptions.get(message.runId);
        if (subscriber) hub.viewers.lagging.delete(subscriber);
        connection.subscriptions.delete(message.runId);
        return;
      }
      case 'control':
        this.control(socket, message);
        return;
      case 'publish':
        if (!this.authorized(message.token)) {
          hub.viewers.sendError(
            socket,
            'unauthorized',
            'publishing a run needs the token the server printed at start-up',
            {
              runId: message.runId,
            },
          );
          return;
        }
        connection.publishing.add(message.runId);
        hub.claim(message.runId, connection.endpoint, message.meta);
        return;
      case 'publishEvents':
        this.publishEvents(socket, connection, message.runId, message.events as TrainEvent[]);
        return;
      case 'publishEventPart':
        this.publishEventPart(socket, connection, message);
        return;
      case 'deleteRun':
      case 'updateRun':
        this.edit(socket, message);
        return;
    }
  }

  private subscribe(
    socket: WebSocket,
    connection: Connection,
    message: Extract<ClientMessage, { type: 'subscribe' }>,
  ): void {
    const hub = this.hub;
    if (!hub.summaryOf(message.runId)) {
      hub.viewers.sendError(socket, 'unknown-run', `no run with id ${JSON.stringify(message.runId)}`, {
        runId: message.runId,
      });
      return;
    }
    const previous = connection.subscriptions.get(message.runId);
    if (!previous && connection.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      hub.viewers.sendError(
        socket,
        'busy',
        `a connection may subscribe to at most ${MAX_SUBSCRIPTIONS} runs at once`,
        {
          runId: message.runId,
        },
      );
      return;
    }
    if (previous) hub.viewers.lagging.delete(previous);
    const subscriber: Subscriber = {
      socket,
      runId: message.runId,
      sentSeq: (message.fromSeq ?? 0) - 1,
      maxPoints: message.maxPoints,
      historyDone: false,
      lagging: true,
      pumping: false,
    };
    connection.subscriptions.set(message.runId, subscriber);
    hub.viewers.lagging.add(subscriber);
    void hub.viewers.pump(subscriber);
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
      this.hub.viewers.sendError(
        socket,
        'unauthorized',
        'control messages need the token the server printed at start-up',
        ids,
      );
      return;
    }
    const command: RunCommand = { ...message.command, source: message.command.source ?? 'remote' };
    const refusal = this.hub.control(message.runId, command);
    if (refusal) this.hub.viewers.sendError(socket, refusal.code, refusal.message, ids);
    else this.hub.viewers.send(socket, { type: 'ack', ...ids });
  }

  private edit(
    socket: WebSocket,
    message: Extract<ClientMessage, { type: 'deleteRun' | 'updateRun' }>,
  ): void {
    const ids = { runId: message.runId, ...(message.requestId ? { requestId: message.requestId } : {}) };
    if (!this.authorized(message.token)) {
      this.hub.viewers.sendError(
        socket,
        'unauthorized',
        `${message.type} needs the token the server printed at start-up`,
        ids,
      );
      return;
    }
    const done =
      message.type === 'deleteRun'
        ? this.hub.deleteRun(message.runId)
        : this.hub.updateRun(message.runId, {
            ...(message.name === undefined ? {} : { name: message.name }),
            ...(message.tags === undefined ? {} : { tags: message.tags }),
          });
    done.then(
      (refusal) => {
        if (refusal) this.hub.viewers.sendError(socket, refusal.code, refusal.message, ids);
        else this.hub.viewers.send(socket, { type: 'ack', ...ids });
      },
      (err: unknown) =>
        this.hub.viewers.sendError(
          socket,
          'store-failed',
          `${message.type} failed in the store: ${(err as Error).message}`,
          ids,
        ),
    );
  }

  /** Whether this connection claimed the run (`publish`); says so to it when not. */
  private isPublisher(socket: WebSocket, connection: Connection, runId: string): boolean {
    if (connection.publishing.has(runId)) return true;
    this.hub.viewers.sendError(socket, 'not-publisher', `send "publish" for run ${runId} before its events`, {
      runId,
    });
    return false;
  }

  private publishEvents(
    socket: WebSocket,
    connection: Connection,
    runId: string,
    events: readonly TrainEvent[],
  ): void {
    if (!this.isPublisher(socket, connection, runId)) return;
    const problem = batchProblem(runId, events);
    if (problem) {
      this.hub.viewers.sendError(socket, 'invalid-message', problem, { runId });
      return;
    }
    this.hub.receive(
      runId,
      connection.endpoint,
      events.map((event) => ({ event })),
    );
  }

  private publishEventPart(
    socket: WebSocket,
    connection: Connection,
    message: Extract<ClientMessage, { type: 'publishEventPart' }>,
  ): void {
    if (!this.isPublisher(socket, connection, message.runId)) return;
    const outcome = addEventPart(connection, message);
    if (outcome === undefined) return;
    if ('event' in outcome) this.publishEvents(socket, connection, message.runId, [outcome.event]);
    else this.hub.viewers.sendError(socket, outcome.code, outcome.message, { runId: message.runId });
  }
}

/** Why a batch of a run's events is refused (another run's event, `seq` not increasing), or undefined. */
function batchProblem(runId: string, events: readonly TrainEvent[]): string | undefined {
  let previous = -1;
  for (const event of events) {
    if (event.runId !== runId)
      return `event seq ${event.seq} has runId ${event.runId}, not ${runId}: batch refused`;
    if (event.seq <= previous)
      return `event seq ${event.seq} is not above the one before (${previous}): batch refused`;
    previous = event.seq;
  }
  return undefined;
}
