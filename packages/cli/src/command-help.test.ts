import { describe, expect, it } from 'vitest';
import { COMMAND_HELP, formatHelp, wantsHelp } from './command-help.js';
import { main } from './main.js';
import { captureIo } from './test-io.js';

// Every option each command's parser accepts (main.ts), which its help must list.
const ACCEPTED = {
  train: [
    '--out',
    '--resume',
    '--server',
    '--token',
    '--max-steps',
    '--checkpoint-every',
    '--checkpoint-epochs',
    '--checkpoint-seconds',
    '--best',
    '--best-mode',
    '--best-min-delta',
    '--batch-loss',
  ],
  demo: [
    '--port',
    '--host',
    '--store',
    '--dashboard',
    '--duration',
    '--speed',
    '--only',
    '--exit-when-done',
    '--no-server',
  ],
  sweep: ['--executor', '--concurrency'],
  serve: ['--port', '--host', '--store', '--dashboard'],
  runs: ['--server', '--store', '--format', '--output', '--token'],
};

describe('command help', () => {
  for (const command of Object.keys(COMMAND_HELP) as (keyof typeof COMMAND_HELP)[]) {
    it(`downhill ${command} --help prints usage, every option and an example, and exits 0`, async () => {
      for (const argv of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
        [command, 'x', '--bogus', '--help'],
      ]) {
        const { out, err, io: streams } = captureIo();
        expect(await main(argv, streams)).toBe(0);
        expect(err).toEqual([]);
        const text = out.join('');
        expect(text).toBe(formatHelp(command));
        expect(text).toMatch(new RegExp(`^Usage:\\n  downhill ${command}`));
        expect(text).toContain('\nOptions:\n');
        expect(text).toMatch(/\nExamples:\n {2}downhill /);
        for (const flag of ACCEPTED[command]) expect(text).toMatch(new RegExp(`\\n  ${flag}\\b`));
      }
    });
  }

  it('lists defaults beside the options that have one', () => {
    const train = formatHelp('train');
    expect(train).toMatch(
      /--checkpoint-seconds S +checkpoint when S seconds passed since the last one \(default: 5/,
    );
    expect(formatHelp('serve')).toMatch(/--port N +port to listen on \(0: any free port\) \(default: 4400\)/);
  });

  it('downhill --help points at the commands` own help', async () => {
    const { out, io: streams } = captureIo();
    expect(await main(['--help'], streams)).toBe(0);
    expect(out.join('')).toContain('Run `downhill <command> --help` for the options of a command');
  });

  it('reads --help only before a --', () => {
    expect(wantsHelp(['a', '--help'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp([])).toBe(false);
  });
});
