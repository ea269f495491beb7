import type { RunStore } from './run-store.js';

/** The object form of `ServerOptions.redis`. */
export interface RedisServerOptions {
  readonly url: string;
  readonly prefix?: string;
  readonly leaseMs?: number;
}

/** Options of `startServer`; every one has a default. */
export interface ServerOptions {
  /** Address to bind. Default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 4400. */
  readonly port?: number;
  /** Directory of the SQLite database. Default `./.downhill` (relative to the working directory). */
  readonly dataDir?: string;
  /** A store to use instead of SQLite under `dataDir`. The server closes it on `close()`. */
  readonly store?: RunStore;
  /**
   * A Postgres database to store runs in instead of SQLite under `dataDir`
   * (`postgresql://user:password@host:5432/db`, or `postgresql://user@/db?host=/socket/dir`):
   * the server opens a `PostgresRunStore` on it (and `startServerThread` does so in its thread).
   * `dataDir` still keeps the token. One server per database: a starting server marks the runs
   * the database lists as running as interrupted.
   */
  readonly postgres?: string;
  /**
   * A Redis server (`redis://host:6379`, `redis://:password@host:6379/0`) through which trainers
   * anywhere publish runs (`publishRunToRedis` of `@downhill/client/node`): the server takes
   * runs from it, stores them and shows them live like any other, and sends their commands back
   * through it. Run Redis with `maxmemory-policy noeviction` and
   * AOF (`docs/deploy.md`). A Unix socket path (`/run/redis.sock`) works too. The object form
   * also sets the key `prefix` (default `downhill:`) and `leaseMs`, how soon another server takes
   * over a dead server's runs (default 5000).
   */
  readonly redis?: string | RedisServerOptions;
  /** Directory of static files to serve at `/` (the dashboard's build). None by default. */
  readonly staticDir?: string;
  /**
   * Token that `control`, `publish`, `deleteRun` and `updateRun` messages must carry. Default:
   * `DOWNHILL_TOKEN` from the environment, else the one kept in `dataDir/token`, else a random
   * one written there (print it at start-up), so it survives restarts. `false` turns the check
   * off, which is only allowed when bound to loopback.
   */
  readonly token?: string | false;
  /**
   * Host names (`name` or `name:port`) the server answers to besides loopback names and IP
   * literals, on HTTP and WebSocket alike: when bound beyond loopback, any other `Host` header is
   * refused (DNS rebinding).
   */
  readonly allowedHosts?: readonly string[];
  /** Extra page origins allowed to open the WebSocket (`http://name:port`), e.g. a dashboard dev server. */
  readonly allowedOrigins?: readonly string[];
  /** Live events are batched over this many ms. Default 50. */
  readonly flushMs?: number;
  /** A socket with more than this many bytes queued gets no more frames until it drains. Default 1 MiB. */
  readonly highWaterMark?: number;
  /**
   * Largest frame accepted from a client, in bytes; a larger one is answered with a `too-large`
   * error, and one over four times this closes the connection (1009). Default `MAX_PAYLOAD_BYTES` (256 KiB).
   */
  readonly maxPayload?: number;
  /** A connection whose unread buffer passes this many bytes is cut. Default 16 MiB (at least 4 x `highWaterMark`). */
  readonly maxBuffered?: number;
  /** Where the server reports failures it survives (a store that cannot commit ...). Default `console.error`. */
  readonly log?: (message: string) => void;
  /** WebSocket ping interval; a connection that misses a pong for two intervals is closed. Default 15000. */
  readonly heartbeatMs?: number;
  /** Events per history frame. Default 2000. */
  readonly historyChunk?: number;
  /**
   * A lagging subscriber missing more events than this gets them coalesced; also the most events one
   * catch-up read takes from the store. Default 20000.
   */
  readonly maxBacklog?: number;
  /** Step events a coalesced resync keeps. Default 2000. */
  readonly coalescePoints?: number;
}
