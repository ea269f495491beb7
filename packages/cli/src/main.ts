import { parseArgs } from 'node:util';
import { DataError } from '@downhill/data';
import { fromEvent, merge, type Observable, take } from 'rxjs';
import type { CliIo } from './cli-io.js';
import { formatHelp, isCommand, wantsHelp } from './command-help.js';
import { trainCommand } from './commands/train-command.js';
import { ConfigError } from './config/config-error.js';
import type { Pace } from './demo/paced-run.js';
import { experiments } from './experiments/experiments.js';
import type { RunSource } from './run-source.js';

const DEFAULT_URL = 'http://127.0.0.1:4400';

export const USAGE = `downhill: gradient descent as a stream of events

Usage:
  downhill demo [--port 4400] [--host 127.0.0.1] [--store .downhill] [--duration 45 | --speed N]
                [--only NAME,...] [--exit-when-done] [--no-server]
      Serve the dashboard and train the seed documents' experiments live, each run paced to last
      about --duration seconds (or --speed steps a second; 0: full speed):
      ${experiments.map((e) => e.name).join(', ')}.
      --no-server trains them here and prints their results and learning curves.
  downhill train <config.yaml|json> [--out DIR] [--resume DIR] [--server URL --token T]
                [--redis URL] [--max-steps N]
      Train a declarative run with a progress bar. --out saves params.json,
      optimizer-state.json, events.jsonl and config.json; --resume DIR continues a saved
      run (the config argument is then optional); --server streams it to a running server,
      --redis (or DOWNHILL_REDIS_URL) through Redis to the servers started with it.
  downhill sweep <sweep.yaml|json> [--executor inline|threads] [--concurrency N]
      Search hyperparameters of a train config (grid, random, TPE or PBT, with ASHA early
      termination), trials in this thread or in worker threads; prints a table of the trials
      and the best.
  downhill serve [--port 4400] [--host 127.0.0.1] [--store .downhill] [--dashboard DIR]
                [--allowed-hosts NAME,...] [--postgres URL] [--redis URL]
      Serve the dashboard and the runs of a store (SQLite in --store, or the Postgres database
      of --postgres / DOWNHILL_POSTGRES_URL). The control token is kept in the store
      directory (or taken from DOWNHILL_TOKEN), so restarts keep it. --redis (or
      DOWNHILL_REDIS_URL) also takes the runs trainers publish through Redis Streams.
  downhill runs list | show <id> | export <id> [--format csv|json] [--output FILE]
                [--server URL | --store DIR]
      List, inspect and export past runs (an id prefix is enough).
  downhill runs sync [SPOOL...] [--server URL] [--token T]
      Upload what a trainer could not deliver (its spool files; default: all in the OS
      temp directory's downhill-spool).
  downhill --help | --version
`;

const HELP_HINT =
  '\nRun `downhill <command> --help` for the options of a command, with their defaults and examples.\n';

/** Exit codes: 0 success, 1 the command failed, 2 bad usage, config or data. */
export type ExitCode = 0 | 1 | 2;

class UsageError extends Error {}

function integerOption(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function numberOption(name: string, value: string | undefined, test: (n: number) => boolean, what: string) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !test(n))
    throw new UsageError(`--${name} must be ${what}, got ${JSON.stringify(value)}`);
  return n;
}

/** The `--checkpoint-*` and `--best*` options of `train`. */
function checkpointOptions(values: Record<string, string | boolean | undefined>) {
  const str = (name: string) => values[name] as string | undefined;
  const everySteps = integerOption('checkpoint-every', str('checkpoint-every'));
  const everyEpochs = integerOption('checkpoint-epochs', str('checkpoint-epochs'));
  const everySeconds = numberOption(
    'checkpoint-seconds',
    str('checkpoint-seconds'),
    (n) => n > 0,
    'a number of seconds > 0',
  );
  const monitor = str('best');
  const mode = str('best-mode');
  if (mode !== undefined && mode !== 'min' && mode !== 'max')
    throw new UsageError(`--best-mode must be min or max, got ${JSON.stringify(mode)}`);
  const minDelta = numberOption('best-min-delta', str('best-min-delta'), (n) => n >= 0, 'a number >= 0');
  if (monitor === undefined && (mode !== undefined || minDelta !== undefined))
    throw new UsageError('--best-mode and --best-min-delta need --best METRIC');
  return {
    ...(everySteps !== undefined ? { everySteps } : {}),
    ...(everyEpochs !== undefined ? { everyEpochs } : {}),
    ...(everySeconds !== undefined ? { everySeconds } : {}),
    ...(monitor !== undefined
      ? {
          best: {
            monitor,
            ...(mode !== undefined ? { mode: mode as 'min' | 'max' } : {}),
            ...(minDelta !== undefined ? { minDelta } : {}),
          },
        }
      : {}),
  };
}

/** SIGINT or SIGTERM, once. */
function interruption(): Observable<unknown> {
  return merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')).pipe(take(1));
}

const serverOptions = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '4400' },
  store: { type: 'string', default: '.downhill' },
  dashboard: { type: 'string' },
  'allowed-hosts': { type: 'string' },
} as const;

/** `--allowed-hosts a,b:4400`: host names a server bound beyond loopback answers to. */
function allowedHostsOf(value: string | undefined): { allowedHosts?: string[] } {
  if (value === undefined) return {};
  const hosts = value.split(',').map((host) => host.trim().toLowerCase());
  const bad = hosts.find((host) => !/^[a-z0-9.-]+(:\d+)?$/.test(host));
  if (bad !== undefined) throw new UsageError(`--allowed-hosts: ${JSON.stringify(bad)} is not a host name`);
  return { allowedHosts: hosts };
}

async function sweepCli(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { executor: { type: 'string' }, concurrency: { type: 'string' } },
  });
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'sweep needs a sweep config file'
        : `sweep takes one config file, got ${positionals.join(' ')}`,
    );
  const executor = values.executor;
  if (executor !== undefined && executor !== 'inline' && executor !== 'threads')
    throw new UsageError(`--executor must be inline or threads, got ${JSON.stringify(executor)}`);
  const { sweepCommand } = await import('./commands/sweep-command.js');
  const outcome = await sweepCommand({
    configPath: positionals[0]!,
    ...(executor ? { executor } : {}),
    ...(values.concurrency !== undefined
      ? { concurrency: integerOption('concurrency', values.concurrency)! }
      : {}),
    output: io.stdout,
    interrupt: interruption(),
  });
  return outcome.best === undefined ? 1 : 0;
}

async function train(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      resume: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      redis: { type: 'string' },
      'max-steps': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'checkpoint-epochs': { type: 'string' },
      'checkpoint-seconds': { type: 'string' },
      best: { type: 'string' },
      'best-mode': { type: 'string' },
      'best-min-delta': { type: 'string' },
      'batch-loss': { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 1)
    throw new UsageError(`train takes one config file, got ${positionals.join(' ')}`);
  const url = values.server;
  const redis = values.redis ?? (url ? undefined : process.env.DOWNHILL_REDIS_URL);
  if (url && redis) throw new UsageError('give --server or --redis, not both');
  const token = values.token ?? process.env.DOWNHILL_TOKEN;
  // The WebSocket client (or the Redis one) loads only when the run is published.
  const publishRun = url ? (await import('@downhill/client')).publishRun : undefined;
  const publishRunToRedis = redis ? (await import('@downhill/client/node')).publishRunToRedis : undefined;
  // Events the server has not stored survive this process in a spool file: `downhill runs sync` uploads them.
  const spool = url || redis ? await openSpool(values.out ?? values.resume) : undefined;
  const meta = { origin: 'downhill train', config: positionals[0] ?? values.resume };
  let result: Awaited<ReturnType<typeof trainCommand>>;
  try {
    result = await trainCommand({
      configPath: positionals[0],
      out: values.out,
      resume: values.resume,
      maxSteps: integerOption('max-steps', values['max-steps']),
      checkpoints: checkpointOptions(values),
      batchLoss: values['batch-loss'],
      output: io.stdout,
      warnings: io.stderr,
      interrupt: interruption(),
      ...(url && publishRun
        ? {
            publish: (build) =>
              publishRun(build, {
                url,
                ...(token ? { token } : {}),
                ...(spool ? { spool } : {}),
                meta,
              }),
          }
        : redis && publishRunToRedis
          ? {
              publish: (build) => publishRunToRedis(build, { url: redis, ...(spool ? { spool } : {}), meta }),
            }
          : {}),
    });
  } catch (err) {
    // A run that never started (a bad config, nothing left to resume) leaves no empty spool file;
    // one that holds a killed predecessor's events keeps them for the next try or `runs sync`.
    spool?.close(spool.pending === 0);
    throw err;
  }
  const { end, notRecorded } = result;
  if (notRecorded) {
    io.stderr.write(`downhill: run ${end.runId} was not recorded on the server: ${notRecorded.message}\n`);
    return 1;
  }
  if (url) io.stdout.write(`published to ${url} as run ${end.runId}\n`);
  if (redis) {
    const { redactPassword } = await import('@downhill/protocol');
    io.stdout.write(`published through Redis (${redactPassword(redis)}) as run ${end.runId}\n`);
  }
  return end.reason === 'error' ? 1 : 0;
}

function paceOf(speed: string | undefined, duration: string): Pace | undefined {
  if (speed !== undefined) {
    const stepsPerSecond = integerOption('speed', speed, 0)!;
    return stepsPerSecond > 0 ? { stepsPerSecond } : undefined;
  }
  const seconds = Number(duration);
  if (!(seconds >= 0) || !Number.isFinite(seconds)) {
    throw new UsageError(`--duration must be a number of seconds >= 0, got ${JSON.stringify(duration)}`);
  }
  return seconds > 0 ? { seconds } : undefined;
}

async function demo(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseArgs({
    args,
    options: {
      ...serverOptions,
      speed: { type: 'string' },
      duration: { type: 'string', default: '45' },
      only: { type: 'string' },
      'exit-when-done': { type: 'boolean', default: false },
      'no-server': { type: 'boolean', default: false },
    },
  });
  const { demoCommand } = await import('./commands/demo-command.js');
  await demoCommand({
    output: io.stdout,
    server: !values['no-server'],
    host: values.host,
    port: integerOption('port', values.port, 0)!,
    dataDir: values.store,
    dashboard: values.dashboard,
    ...allowedHostsOf(values['allowed-hosts']),
    pace: paceOf(values.speed, values.duration),
    only: values.only?.split(',').map((s) => s.trim()),
    exitWhenDone: values['exit-when-done'],
    interrupt: interruption(),
  });
  return 0;
}

async function serve(args: string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseArgs({
    args,
    options: { ...serverOptions, postgres: { type: 'string' }, redis: { type: 'string' } },
  });
  const { serveCommand } = await import('./commands/serve-command.js');
  const postgres = values.postgres ?? process.env.DOWNHILL_POSTGRES_URL;
  const redis = values.redis ?? process.env.DOWNHILL_REDIS_URL;
  await serveCommand({
    output: io.stdout,
    host: values.host,
    port: integerOption('port', values.port, 0)!,
    dataDir: values.store,
    dashboard: values.dashboard,
    ...allowedHostsOf(values['allowed-hosts']),
    ...(postgres ? { postgres } : {}),
    ...(redis ? { redis } : {}),
    interrupt: interruption(),
  });
  return 0;
}

/** The spool of a published run: `OUT/spool.jsonl`, or a file in the OS temp directory's `downhill-spool`. */
async function openSpool(out: string | undefined) {
  const { FileSpool } = await import('@downhill/client/node');
  const { defaultSpoolDir } = await import('./commands/runs-sync-command.js');
  const { join } = await import('node:path');
  const path = out ? join(out, 'spool.jsonl') : join(defaultSpoolDir(), `${Date.now()}-${process.pid}.jsonl`);
  return new FileSpool(path);
}

async function runs(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      store: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      output: { type: 'string' },
      token: { type: 'string' },
    },
  });
  const [action, id, ...extra] = positionals;
  if (action === 'sync') {
    const { syncSpools } = await import('./commands/runs-sync-command.js');
    const synced = await syncSpools({
      paths: positionals.slice(1),
      url: values.server ?? DEFAULT_URL,
      token: values.token ?? process.env.DOWNHILL_TOKEN,
      output: io.stdout,
    });
    return synced ? 0 : 1;
  }
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (values.server && values.store) throw new UsageError('give --server URL or --store DIR, not both');
  const { serverRunSource, storeRunSource } = await import('./run-source.js');
  const { exportRun, listRuns, showRun } = await import('./commands/runs-command.js');
  const source: RunSource = values.store
    ? storeRunSource(values.store)
    : serverRunSource(values.server ?? DEFAULT_URL);
  try {
    switch (action) {
      case 'list':
        await listRuns(source, io.stdout);
        return 0;
      case 'show':
        if (!id) throw new UsageError('runs show needs a run id');
        await showRun(source, id, io.stdout);
        return 0;
      case 'export': {
        if (!id) throw new UsageError('runs export needs a run id');
        const format = values.format;
        if (format !== 'csv' && format !== 'json') {
          throw new UsageError(`--format must be csv or json, got ${JSON.stringify(format)}`);
        }
        await exportRun(source, id, { format, file: values.output, stdout: io.stdout, output: io.stderr });
        return 0;
      }
      default:
        throw new UsageError(
          `runs needs list, show <id> or export <id>, got ${JSON.stringify(action ?? '')}`,
        );
    }
  } finally {
    source.close();
  }
}

async function version(io: CliIo): Promise<ExitCode> {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  io.stdout.write(`${manifest.version}\n`);
  return 0;
}

/** Runs the `downhill` command line; never throws: reports errors on stderr and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    // `downhill <command> --help` before the command parses (and maybe refuses) its options.
    if (isCommand(command) && wantsHelp(rest)) {
      io.stdout.write(formatHelp(command));
      return 0;
    }
    switch (command) {
      case undefined:
        io.stderr.write(USAGE);
        return 2;
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(isCommand(rest[0]) ? formatHelp(rest[0]) : `${USAGE}${HELP_HINT}`);
        return 0;
      case '--version':
      case '-v':
        return await version(io);
      case 'train':
        return await train(rest, io);
      case 'demo':
        return await demo(rest, io);
      case 'serve':
        return await serve(rest, io);
      case 'sweep':
        return await sweepCli(rest, io);
      case 'runs':
        return await runs(rest, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`downhill: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`config error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof DataError) {
      io.stderr.write(`data error: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`downhill: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
