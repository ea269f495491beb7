import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A running Verdaccio and the files a client needs to use it. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** An npmrc with `registry=` and a token for the registry (Verdaccio lets anyone publish `@downhill/*`). */
  readonly npmrc: string;
  /** Where Verdaccio writes its log. */
  readonly logFile: string;
  stop(): Promise<void>;
}

/** Options for {@link startLocalRegistry}. */
export interface LocalRegistryOptions {
  /** Where third-party packages (rxjs, typescript ...) come from. Default: npm's configured registry. */
  readonly uplink?: string;
  /** Give up waiting for Verdaccio to answer after this many milliseconds. Default 60 s. */
  readonly startTimeoutMs?: number;
}

const require = createRequire(import.meta.url);
const verdaccioBin = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');

/** The registry npm on this machine is set up to use (`npm config get registry`). */
export function configuredRegistry(): string {
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  if (!/^https?:\/\//.test(registry))
    throw new Error(`npm config get registry printed "${registry}", not a URL`);
  return registry;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The Verdaccio configuration: storage in `folder`, `@downhill/*` local and open, the rest proxied. */
export function verdaccioConfig(folder: string, uplink: string): string {
  return [
    `storage: ${JSON.stringify(join(folder, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(folder, 'htpasswd'))}`,
    '    max_users: -1',
    'uplinks:',
    '  upstream:',
    `    url: ${JSON.stringify(uplink)}`,
    '    timeout: 60s',
    'packages:',
    // Never proxied: what the smoke test installs is exactly what it published.
    "  '@downhill/*':",
    '    access: $all',
    '    publish: $all',
    '    unpublish: $all',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: upstream',
    'server:',
    '  keepAliveTimeout: 60',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

async function waitUntilUp(
  url: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Verdaccio exited with code ${child.exitCode}:\n${readFileSync(logFile, 'utf8')}`);
    }
    try {
      const response = await fetch(new URL('-/ping', url));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(
    `Verdaccio did not answer on ${url} within ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8')}`,
  );
}

/**
 * Starts Verdaccio (the npm package, run with this Node) on 127.0.0.1 at a free port, with its
 * storage in a fresh temporary folder, and waits until it answers. `stop()` ends the process
 * and deletes the folder.
 */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const { uplink = configuredRegistry(), startTimeoutMs = 60_000 } = options;
  const folder = mkdtempSync(join(tmpdir(), 'downhill-verdaccio-'));
  mkdirSync(join(folder, 'storage'));
  const configFile = join(folder, 'config.yaml');
  writeFileSync(configFile, verdaccioConfig(folder, uplink));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const npmrc = join(folder, 'npmrc');
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=downhill-smoke-test\n`);
  const logFile = join(folder, 'verdaccio.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [verdaccioBin, '--config', configFile, '--listen', `127.0.0.1:${port}`],
    {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // If this process ends without stop() (an uncaught error), do not leave Verdaccio running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolveExit) =>
    child.once('exit', () => {
      process.removeListener('exit', killOnExit);
      resolveExit();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, child, logFile, startTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, npmrc, logFile, stop };
}
