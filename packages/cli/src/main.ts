import { parseArgs } from 'node:util';
import { DataError } from '@downhill/data';
import { fromEvent, take } from 'rxjs';
import type { CliIo } from './cli-io.js';
import { trainCommand } from './commands/train-command.js';
import { ConfigError } from './config/config-error.js';

export const USAGE = `downhill: gradient descent as a stream of events

Usage:
  downhill demo [--port 4400] [--host 127.0.0.1] [--store DIR] [--no-server]
      Start the server and dashboard and run the classic gradient-descent experiments live.
  downhill train <config.yaml|json> [--out DIR] [--resume DIR] [--server URL] [--max-steps N]
      Train a declarative run with a progress bar; --out saves parameters, optimizer state and
      the event log; --resume DIR continues a saved run.
  downhill serve [--port 4400] [--host 127.0.0.1] [--store DIR]
      Serve the dashboard and the runs of a store.
  downhill runs list|show <id>|export <id> [--format csv|json] [--server URL | --store DIR]
      List, inspect and export past runs.
  downhill --help | --version
`;

/** Exit codes: 0 success, 1 the run or command failed, 2 bad usage or config. */
export type ExitCode = 0 | 1 | 2;

class UsageError extends Error {}

function integerOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
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
      'max-steps': { type: 'string' },
    },
  });
  if (positionals.length > 1)
    throw new UsageError(`train takes one config file, got ${positionals.join(' ')}`);
  const interrupt = fromEvent(process, 'SIGINT').pipe(take(1));
  const end = await trainCommand({
    configPath: positionals[0],
    out: values.out,
    resume: values.resume,
    maxSteps: integerOption('max-steps', values['max-steps']),
    output: io.stdout,
    interrupt,
  });
  return end.reason === 'error' ? 1 : 0;
}

/** Runs the `downhill` command line; never throws, reports errors on stderr and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      case 'train':
        return await train(rest, io);
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
