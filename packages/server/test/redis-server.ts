// A real redis-server (Debian's package) for the Redis run-link tests: on a Unix socket in a temp
// directory, no TCP port, AOF on (`appendfsync everysec`), `noeviction`, as docs/deploy.md says
// to run it. It can be killed (SIGKILL) and started again on the same directory, its AOF replayed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The redis-server binary, or undefined when it is not installed (the tests then skip, saying so). */
export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) =>
  existsSync(path),
);

export class TestRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    /** The Unix socket: what `startServer({ redis })` and `publishRunToRedis({ url })` take. */
    readonly url: string,
  ) {}

  static async start(): Promise<TestRedis> {
    const dir = mkdtempSync(join(tmpdir(), 'downhill-redis-'));
    const redis = new TestRedis(dir, join(dir, 'redis.sock'));
    await redis.restart();
    return redis;
  }

  /** Starts redis-server on the directory (again), waiting until it answers. */
  async restart(): Promise<void> {
    if (!REDIS_SERVER) throw new Error('redis-server is not installed');
    rmSync(this.url, { force: true });
    const child = spawn(
      REDIS_SERVER,
      [
        '--port',
        '0',
        '--unixsocket',
        this.url,
        '--unixsocketperm',
        '700',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--maxmemory-policy',
        'noeviction',
        '--logfile',
        join(this.dir, 'redis.log'),
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`redis-server exited with ${child.exitCode}: ${this.log().slice(-2000)}`);
      if (existsSync(this.url)) {
        const probe = new Redis({
          path: this.url,
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        probe.on('error', () => {});
        const ok = await probe
          .connect()
          .then(
            () => probe.ping(),
            () => undefined,
          )
          .catch(() => undefined);
        probe.disconnect();
        if (ok === 'PONG') return;
      }
      if (Date.now() - started > 10_000)
        throw new Error(`redis-server did not start: ${this.log().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** SIGKILL, as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  /** A client for checks in the tests. */
  client(): Redis {
    const client = new Redis({ path: this.url });
    client.on('error', () => {});
    return client;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private log(): string {
    try {
      return readFileSync(join(this.dir, 'redis.log'), 'utf8');
    } catch {
      return '';
    }
  }
}
