import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { RunCommand, TrainEvent } from '@downhill/core';
import {
  DEFAULT_PORT,
  MAX_PAYLOAD_BYTES,
  type RunSummary,
  SUBPROTOCOL,
  WEBSOCKET_PATH,
} from '@downhill/protocol';
import type { Observable } from 'rxjs';
import { type WebSocket, WebSocketServer } from 'ws';
import { type AttachedRun, attachRun } from './attach-run.js';
import { type OriginPolicy, refusalReason } from './check-upgrade.js';
import { handleApi } from './http-api.js';
import { isLoopback } from './is-loopback.js';
import { localTransport } from './local-transport.js';
import { MessageHandler } from './message-handler.js';
import { PostgresRunStore } from './postgres-run-store.js';
import { RedisRunLink } from './redis-run-link.js';
import { type HubStats, RunHub } from './run-hub.js';
import type { RunStore } from './run-store.js';
import { serveStatic } from './serve-static.js';
import type { ServerOptions } from './server-options.js';
import { resolveToken } from './server-token.js';
import { SqliteRunStore } from './sqlite-run-store.js';

export type { AttachedRun } from './attach-run.js';

/** A running Downhill server. */
export interface DownhillServer {
  /** `http://host:port` (the WebSocket endpoint is `url` with `ws:` and `/ws`). */
  readonly url: string;
  readonly port: number;
  /** The token `control` and `publish` messages need (undefined when the check is off); kept in the data directory across restarts. */
  readonly token: string | undefined;
  readonly store: RunStore;
  /**
   * Trains a run in this process and serves it live: `build` receives the Observable of commands
   * the server routes to this run (from `control` messages) and returns the run, typically
   * `(control) => train({ ...spec, control })`. The run travels over the same run link as a
   * published one: its events are broadcast and acknowledged once the store committed them.
   */
  attach(
    build: (control: Observable<RunCommand>) => Observable<TrainEvent>,
    meta?: Record<string, unknown>,
  ): AttachedRun;
  /** Every run, newest first. */
  runs(): RunSummary[];
  stats(): HubStats;
  /** Stops live runs (recorded as `interrupted`), closes every connection and the store. */
  close(): Promise<void>;
}

/**
 * Starts the server: the dashboard's static files, the HTTP API under `/api`, and the
 * WebSocket endpoint `/ws` (subprotocol `downhill.v1`), with runs stored in SQLite under
 * `./.downhill/` unless told otherwise. Runs left `running` by a process that died are marked
 * `interrupted` first.
 */
export async function startServer(options: ServerOptions = {}): Promise<DownhillServer> {
  return (await startServerWithHub(options)).server;
}

/** `startServer`, also handing back the hub: the server thread's entry feeds its links into it. */
export async function startServerWithHub(
  options: ServerOptions,
): Promise<{ readonly server: DownhillServer; readonly hub: RunHub }> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new RangeError(`startServer: port must be an integer from 0 to 65535, got ${requestedPort}`);
  }
  if (options.token === false && !isLoopback(host)) {
    throw new Error(`startServer: token: false is only allowed on loopback, but host is ${host}`);
  }
  if (options.store && options.postgres)
    throw new TypeError('startServer: give `store` or `postgres`, not both');
  const dataDir = options.dataDir ?? (options.store ? undefined : '.downhill');
  const token = resolveToken(options.token, dataDir);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxPayload = options.maxPayload ?? MAX_PAYLOAD_BYTES;
  const log = options.log ?? ((message: string) => console.error(message));
  const store =
    options.store ??
    (options.postgres !== undefined
      ? await PostgresRunStore.open(options.postgres)
      : await SqliteRunStore.open(join(dataDir!, 'runs.sqlite')));
  const highWaterMark = options.highWaterMark ?? 1024 * 1024;
  const hub = await RunHub.create(store, {
    token,
    highWaterMark,
    maxBuffered: options.maxBuffered ?? Math.max(16 * 1024 * 1024, 4 * highWaterMark),
    historyChunk: options.historyChunk ?? 2000,
    maxBacklog: options.maxBacklog ?? 20_000,
    coalescePoints: options.coalescePoints ?? 2000,
    summaryIntervalMs: 500,
    heartbeatMs,
    serverName: '@downhill/server 0.1.0',
    maxPayload,
    log,
  });
  let redisLink: RedisRunLink | undefined;
  if (options.redis !== undefined) {
    try {
      const redis = typeof options.redis === 'string' ? { url: options.redis } : options.redis;
      redisLink = await RedisRunLink.start(hub, { ...redis, log });
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  const messages = new MessageHandler(hub);

  const policy: { current: OriginPolicy } = {
    current: {
      host,
      port: requestedPort,
      allowedHosts: options.allowedHosts ?? [],
      allowedOrigins: options.allowedOrigins ?? [],
    },
  };
  const apiContext = {
    store,
    listRuns: () => hub.listRuns(),
    summaryOf: (runId: string) => hub.summaryOf(runId),
    downsample: (runId: string, range: { fromSeq: number; toSeq: number; points: number }) =>
      hub.readDownsampled(runId, range),
  };
  const server: Server = createServer((request, response) => {
    // Host only: DNS rebinding. Reading the API cross-origin is already blocked by the browser (no CORS headers).
    const refusal = refusalReason({ host: request.headers.host }, policy.current);
    if (refusal) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(refusal);
      return;
    }
    try {
      if (handleApi(apiContext, request, response)) return;
      if ((request.method === 'GET' || request.method === 'HEAD') && options.staticDir) {
        if (serveStatic(options.staticDir, request, response)) return;
      }
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        options.staticDir ? 'not found' : 'not found (this server was started without a dashboard directory)',
      );
    } catch (err) {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`internal error: ${(err as Error).message}`);
    }
  });

  const wss = new WebSocketServer({
    noServer: true,
    // Frames over `maxPayload` get a `too-large` error reply and the connection stays up; past
    // four times that the WebSocket layer stops reading and closes with 1009.
    maxPayload: 4 * maxPayload,
    perMessageDeflate: false,
    // Complete the handshake even for a wrong version, so the client gets a close code and reason.
    handleProtocols: (protocols) =>
      protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : (protocols.values().next().value ?? false),
  });
  const alive = new WeakMap<WebSocket, boolean>();
  wss.on('connection', (socket) => {
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    // ws closes the socket itself after a protocol error (1002, 1009 ...); nothing else to do.
    socket.on('error', () => {});
    messages.open(socket);
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const refusal =
      path === WEBSOCKET_PATH
        ? refusalReason(request.headers, policy.current)
        : `no WebSocket endpoint at ${path}`;
    if (refusal) {
      socket.end(
        `HTTP/1.1 ${path === WEBSOCKET_PATH ? '403 Forbidden' : '404 Not Found'}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(refusal)}\r\n\r\n${refusal}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  const flushTimer = setInterval(() => {
    try {
      hub.flush();
    } catch (err) {
      // A bug here must not end the server silently, nor stop the next flushes.
      log(`downhill server: flush failed: ${(err as Error).stack ?? err}`);
    }
  }, options.flushMs ?? 50);
  const heartbeatTimer = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, heartbeatMs);
  flushTimer.unref();
  heartbeatTimer.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requestedPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(flushTimer);
    clearInterval(heartbeatTimer);
    await redisLink?.close();
    await store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  policy.current = { ...policy.current, port };
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  const attached = new Set<AttachedRun>();
  const downhillServer: DownhillServer = {
    url: `http://${urlHost}:${port}`,
    port,
    token,
    store,
    attach: (build, meta = {}) => {
      const run = attachRun(build, { transport: localTransport(hub), meta, target: 'the server', log });
      attached.add(run);
      run.done.then(() => attached.delete(run));
      return run;
    },
    runs: () => hub.listRuns(),
    stats: () => hub.getStats(),
    close: () => {
      closing ??= (async () => {
        clearInterval(flushTimer);
        clearInterval(heartbeatTimer);
        for (const run of attached) run.detach();
        // No more events from Redis; the hub's last commit is still acknowledged there, then the
        // runs are let go for another server to take at once.
        await redisLink?.stopReading();
        await hub.shutdown();
        await redisLink?.close();
        for (const socket of wss.clients) socket.close(1001, 'the server is shutting down');
        // A client that does not read never answers the close: cut it after a grace period.
        const grace = setTimeout(() => {
          for (const socket of wss.clients) socket.terminate();
        }, 500);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        clearTimeout(grace);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of wss.clients) socket.terminate();
        await store.close();
      })();
      return closing;
    },
  };
  return { server: downhillServer, hub };
}
