// Test plumbing: a real Postgres (Debian's `postgresql` package) in a temp directory, listening on
// a Unix socket there and on no TCP port, started by the tests and benchmarks that need it.
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PoolConfig } from 'pg';

const run = promisify(execFile);

/** Where Debian puts Postgres 15's server programs (`initdb`, `pg_ctl`), which are not on PATH. */
export const POSTGRES_BIN = process.env.DOWNHILL_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** How to reach it: the socket directory as `host`, user `postgres`, database `postgres`. */
  readonly config: PoolConfig;
  /** The same as a connection string (`postgresql://postgres@/postgres?host=<socket dir>`). */
  readonly connectionString: string;
  readonly dir: string;
  /** Creates a fresh database and returns the pool config that reaches it. */
  createDatabase(name: string): Promise<PoolConfig>;
  /** Kills the server as a crash would (`pg_ctl stop -m immediate`: no checkpoint), then starts it again. */
  crashAndRestart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  /** `fsync` in postgresql.conf. Default true: a commit is on disk when it returns, as in production. */
  readonly fsync?: boolean;
}

/**
 * Starts a throwaway Postgres: `initdb` into a temp directory, then `pg_ctl start` with the socket
 * in that directory. Postgres refuses to run as root, so under root the programs run as the
 * `postgres` user (which Debian's package creates) and the directory is handed to it.
 */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const initdb = join(POSTGRES_BIN, 'initdb');
  if (!existsSync(initdb)) {
    throw new Error(
      `no Postgres 15 at ${POSTGRES_BIN} (install Debian's package: apt-get install -y postgresql, or set DOWNHILL_POSTGRES_BIN)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'downhill-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const owner = await postgresOwner();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const as = { cwd: dir, ...(owner ?? {}) };
  const pgCtl = (...args: string[]) => run(join(POSTGRES_BIN, 'pg_ctl'), ['-D', data, ...args], as);
  try {
    await run(
      initdb,
      [
        '-D',
        data,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      as,
    );
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        "listen_addresses = ''",
        `unix_socket_directories = '${dir}'`,
        `fsync = ${options.fsync === false ? 'off' : 'on'}`,
        'max_connections = 40',
        '',
      ].join('\n'),
    );
    const start = async () => {
      try {
        await pgCtl('-l', log, '-w', '-t', '60', 'start');
      } catch (err) {
        const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
        throw new Error(`pg_ctl start failed in ${dir}: ${(err as Error).message}\n${tail}`);
      }
    };
    await start();
    const config: PoolConfig = { host: dir, user: 'postgres', database: 'postgres' };
    const stop = async (mode: 'fast' | 'immediate') => {
      await pgCtl('-m', mode, '-w', 'stop');
    };
    return {
      config,
      connectionString: `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}`,
      dir,
      async createDatabase(name) {
        await run(join(POSTGRES_BIN, 'createdb'), ['-h', dir, '-U', 'postgres', name], as);
        return { ...config, database: name };
      },
      async crashAndRestart() {
        await stop('immediate');
        await start();
      },
      async stop() {
        try {
          await stop('fast');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await pgCtl('-m', 'immediate', 'stop').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function postgresOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "running as root, Postgres needs a `postgres` user to run as (Debian's package creates it)",
    );
  }
}
