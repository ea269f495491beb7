import { resolve } from 'node:path';
import { redactPassword } from '@downhill/protocol';
import { type DownhillServerThread, startServerThread } from '@downhill/server';
import { findDashboardDir } from './dashboard-dir.js';
import type { ProgressOutput } from './progress-bar.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** Folder of the run store (SQLite). */
  readonly dataDir: string;
  readonly dashboard: string | undefined;
  readonly output: ProgressOutput;
  /** Host names to answer to besides loopback names and IP literals (`--allowed-hosts`). */
  readonly allowedHosts?: readonly string[];
  /** A Postgres connection string: runs are stored there instead of SQLite under `dataDir`. */
  readonly postgres?: string;
  /** A Redis server (URL or Unix socket path): runs published through Redis Streams are taken from it too. */
  readonly redis?: string;
}

/**
 * Starts the server with the dashboard and prints where it is and its control token. The server
 * runs in its own thread, so the runs trained here do not pay for serving the dashboard.
 */
export async function startDemoServer(options: ServeOptions): Promise<DownhillServerThread> {
  const staticDir = findDashboardDir(options.dashboard);
  let server: DownhillServerThread;
  try {
    server = await startServerThread({
      host: options.host,
      port: options.port,
      dataDir: options.dataDir,
      ...(staticDir ? { staticDir } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.postgres ? { postgres: options.postgres } : {}),
      ...(options.redis ? { redis: options.redis } : {}),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${options.port} on ${options.host} is already in use (another downhill?): stop it or pass --port`,
      );
    }
    throw err;
  }
  const { output } = options;
  output.write(`Downhill is serving on ${server.url}\n`);
  output.write(
    staticDir
      ? `  dashboard: ${server.url}/${server.token ? `#token=${server.token}` : ''}\n`
      : '  dashboard: not built (pnpm --filter ./apps/dashboard build), the API and WebSocket are up\n',
  );
  output.write(
    `  control token: ${server.token ?? '(none)'} (kept in ${resolve(options.dataDir, 'token')} across restarts, or set DOWNHILL_TOKEN)\n`,
  );
  output.write(
    `  runs are stored in ${options.postgres ? `Postgres (${redactPassword(options.postgres)})` : resolve(options.dataDir)}\n`,
  );
  if (options.redis)
    output.write(`  runs published through Redis are taken from ${redactPassword(options.redis)}\n`);
  return server;
}
