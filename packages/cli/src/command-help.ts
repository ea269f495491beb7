/** One option of a command, as its `--help` lists it. */
export interface OptionHelp {
  readonly flag: string;
  readonly text: string;
  readonly default?: string;
}

/** What `downhill <command> --help` prints. */
export interface CommandHelp {
  readonly usage: readonly string[];
  readonly summary: string;
  readonly options: readonly OptionHelp[];
  readonly examples: readonly string[];
}

const serverOptions: readonly OptionHelp[] = [
  { flag: '--port N', text: 'port to listen on (0: any free port)', default: '4400' },
  {
    flag: '--host ADDRESS',
    text: 'address to bind; anything but loopback is reachable from the network',
    default: '127.0.0.1',
  },
  { flag: '--store DIR', text: 'folder of the run store (runs.sqlite)', default: '.downhill' },
  { flag: '--dashboard DIR', text: "the dashboard's built files", default: 'the bundled dashboard' },
  { flag: '--allowed-hosts NAME,...', text: 'host names a server bound beyond loopback answers to' },
];

/** Help of every command; `main` prints it for `downhill <command> --help` and `downhill help <command>`. */
export const COMMAND_HELP = {
  train: {
    usage: ['downhill train <config.yaml|json> [options]', 'downhill train --resume DIR [options]'],
    summary:
      'Train a declarative run (model, data, optimizer, schedule, stopping) with a progress bar. With --out, ' +
      'the run directory gets checkpoints of the full state (written atomically; the one before is kept as ' +
      'checkpoint.prev.json), the event log, the config and the final parameters; a run killed at any point ' +
      'continues with --resume DIR, bit for bit as if it had not stopped.',
    options: [
      {
        flag: '--out DIR',
        text: 'write checkpoint.json, events.jsonl, config.json, params.json and optimizer-state.json here',
      },
      {
        flag: '--resume DIR',
        text: 'continue the run saved in DIR (and write back to it unless --out is given); the config argument is then optional',
      },
      { flag: '--checkpoint-every N', text: 'checkpoint every N steps' },
      { flag: '--checkpoint-epochs N', text: 'checkpoint at the end of every N-th epoch' },
      {
        flag: '--checkpoint-seconds S',
        text: 'checkpoint when S seconds passed since the last one',
        default: '5, when no other cadence is given',
      },
      {
        flag: '--best METRIC',
        text: 'also write best.json at every epoch that improves METRIC (loss, validationLoss, or a metric such as accuracy)',
      },
      { flag: '--best-mode min|max', text: 'whether smaller or larger METRIC is better', default: 'min' },
      { flag: '--best-min-delta D', text: 'smallest change that counts as an improvement', default: '0' },
      { flag: '--max-steps N', text: 'stop (and checkpoint) once the run has taken N steps in total' },
      { flag: '--batch-loss', text: "show the last mini-batch's loss beside the epoch's running mean" },
      {
        flag: '--server URL',
        text: 'stream the run to a running `downhill serve` (it may send commands back)',
      },
      { flag: '--token T', text: 'control token of the server', default: '$DOWNHILL_TOKEN' },
      {
        flag: '--redis URL',
        text: 'publish through Redis Streams to the servers started with --redis (or DOWNHILL_REDIS_URL)',
      },
    ],
    examples: [
      'downhill train run.yaml --out runs/first',
      'downhill train --resume runs/first          # after Ctrl-C, a crash or kill -9',
      'downhill train run.yaml --out runs/best --checkpoint-epochs 1 --best validationLoss',
    ],
  },
  sweep: {
    usage: ['downhill sweep <sweep.yaml|json> [options]'],
    summary:
      'Search the hyperparameters of a train config. The sweep config names the algorithm (grid, random, tpe, ' +
      'or pbt with population and perturbationInterval), the trials, the metric and mode, optional ASHA early ' +
      'termination, the executor (inline, or threads: one worker thread per core), a space whose parameters ' +
      'are paths into the train config (optimizer: { learningRate: { logUniform: [0.0001, 1] } }; also uniform, ' +
      'integer, choice, fixed values, and when: { optimizer.name: [sgd] } for a conditional parameter), and the ' +
      'train config itself (inline, or the path of a `downhill train` config file). Every value is checked ' +
      'against the train config before a trial runs. Prints a line as each trial ends, then a table of the ' +
      'trials and the best. Ctrl-C stops the running trials and prints what finished.',
    options: [
      {
        flag: '--executor inline|threads',
        text: 'run the trials in this thread or in worker threads',
        default: "the config's executor, else inline",
      },
      {
        flag: '--concurrency N',
        text: 'trials at once',
        default: "the config's concurrency, else 1 inline and the available cores in threads",
      },
    ],
    examples: ['downhill sweep sweep.yaml', 'downhill sweep sweep.yaml --executor threads --concurrency 2'],
  },
  demo: {
    usage: ['downhill demo [options]'],
    summary:
      "Serve the dashboard and train the seed documents' experiments live, each run paced to last about " +
      '--duration seconds (or --speed steps a second).',
    options: [
      ...serverOptions,
      { flag: '--duration S', text: 'seconds each run is paced to last (0: full speed)', default: '45' },
      { flag: '--speed N', text: 'steps a second instead of --duration (0: full speed)' },
      { flag: '--only NAME,...', text: 'run only these experiments' },
      { flag: '--exit-when-done', text: 'exit when every run has ended' },
      { flag: '--no-server', text: 'train here and print results and learning curves, without a server' },
    ],
    examples: ['downhill demo', 'downhill demo --only learning-rates --speed 0 --no-server'],
  },
  serve: {
    usage: ['downhill serve [options]'],
    summary:
      'Serve the dashboard, the HTTP API and the WebSocket endpoint for the runs of a store. The control ' +
      'token is kept in the store directory (or taken from DOWNHILL_TOKEN).',
    options: [
      ...serverOptions,
      {
        flag: '--postgres URL',
        text: 'store runs in this Postgres database instead of SQLite (or DOWNHILL_POSTGRES_URL)',
      },
      {
        flag: '--redis URL',
        text: 'also take the runs trainers publish through Redis Streams (or DOWNHILL_REDIS_URL)',
      },
    ],
    examples: [
      'downhill serve --store runs/.downhill --port 8080',
      'downhill serve --postgres postgresql://downhill@db.internal/downhill',
      'downhill serve --redis redis://redis.internal:6379',
    ],
  },
  runs: {
    usage: [
      'downhill runs list [--server URL | --store DIR]',
      'downhill runs show <id> [--server URL | --store DIR]',
      'downhill runs export <id> [--format csv|json] [--output FILE] [--server URL | --store DIR]',
      'downhill runs sync [SPOOL...] [--server URL] [--token T]',
    ],
    summary:
      'List, inspect and export past runs (an id prefix is enough), from a running server or straight from ' +
      'a store on disk (read only: a store that does not exist is an error, never created); sync uploads ' +
      'what a trainer could not deliver.',
    options: [
      { flag: '--server URL', text: 'a running server', default: 'http://127.0.0.1:4400' },
      { flag: '--store DIR', text: 'a store folder instead of a server' },
      { flag: '--format csv|json', text: 'export format', default: 'csv' },
      { flag: '--output FILE', text: 'export into FILE', default: 'standard output' },
      { flag: '--token T', text: 'control token for sync', default: '$DOWNHILL_TOKEN' },
    ],
    examples: ['downhill runs list', 'downhill runs export 3f2a --format json --output run.json'],
  },
} as const satisfies Record<string, CommandHelp>;

export type CommandName = keyof typeof COMMAND_HELP;

export function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMAND_HELP, name);
}

/** True when `args` ask for help (`--help` or `-h` before a `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

function wrap(text: string, indent: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** The text of `downhill <command> --help`: usage, what it does, options with defaults, examples. */
export function formatHelp(command: CommandName): string {
  const help: CommandHelp = COMMAND_HELP[command];
  const flagWidth = Math.max(...help.options.map((o) => o.flag.length)) + 2;
  const out = ['Usage:', ...help.usage.map((u) => `  ${u}`), '', ...wrap(help.summary, ''), '', 'Options:'];
  for (const option of help.options) {
    const text = option.default !== undefined ? `${option.text} (default: ${option.default})` : option.text;
    const [first, ...rest] = wrap(text, ' '.repeat(2 + flagWidth));
    out.push(`  ${option.flag.padEnd(flagWidth)}${first!.trimStart()}`, ...rest);
  }
  out.push(
    `  ${'--help'.padEnd(flagWidth)}this help`,
    '',
    'Examples:',
    ...help.examples.map((e) => `  ${e}`),
    '',
  );
  return out.join('\n');
}
