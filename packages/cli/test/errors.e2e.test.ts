import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, FIXTURES, runCli } from './run-cli.js';

// Each bad input gives one line on stderr naming what and where, a non-zero exit, no stack trace.

let dir: string;
const data = join(FIXTURES, 'linreg-100.csv');

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'downhill-errors-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fails(args: string[], code: number): Promise<string> {
  const result = await runCli(args, { cwd: dir });
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

async function config(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

describe('downhill: clear errors', () => {
  it('a directory given as the data file', async () => {
    await mkdir(join(dir, 'points'), { recursive: true });
    const path = await config('dir-data.yaml', [
      'model: linear',
      'data: points',
      'optimizer: sgd',
      'epochs: 1',
    ]);
    expect(await fails(['train', path], 2)).toBe(
      `data error: ${join(dir, 'points')}: a directory, not a data file`,
    );
  });

  it('a directory given as the config file', async () => {
    await mkdir(join(dir, 'folder.yaml'), { recursive: true });
    expect(await fails(['train', 'folder.yaml'], 2)).toBe(
      `config error: config: cannot read ${join(dir, 'folder.yaml')}: is a directory, a file was expected (EISDIR)`,
    );
  });

  it('a mistyped store is an error naming it, and no store is created', async () => {
    const store = join(dir, 'no-such-store');
    expect(await fails(['runs', 'list', '--store', store], 1)).toContain(store);
    expect(existsSync(store)).toBe(false);
  });

  it('an output directory that cannot be created names it and the cause', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    const path = await config('ok.yaml', ['model: linear', `data: ${data}`, 'optimizer: sgd', 'epochs: 1']);
    const out = join(dir, 'a-file', 'run');
    expect(await fails(['train', path, '--out', out], 1)).toBe(
      `downhill: cannot create the directory ${out}: a path component is not a directory (ENOTDIR)`,
    );
  });

  it('a resume directory with an empty config.json or a null params.json', async () => {
    const run = join(dir, 'broken-run');
    await mkdir(run, { recursive: true });
    await writeFile(join(run, 'config.json'), '{}');
    expect(await fails(['train', '--resume', run], 1)).toBe(
      `downhill: ${join(run, 'config.json')} is not a saved run config: it needs a baseDir string and a config object`,
    );
    await writeFile(join(run, 'config.json'), JSON.stringify({ baseDir: dir, config: { model: 'linear' } }));
    await writeFile(join(run, 'params.json'), 'null');
    expect(await fails(['train', '--resume', run], 1)).toBe(
      `downhill: ${join(run, 'params.json')} has no params list or step`,
    );
  });

  it('a null initial parameter is refused, not read as 0', async () => {
    const path = await config('null-init.yaml', [
      'model: linear',
      `data: ${data}`,
      'optimizer: sgd',
      'epochs: 1',
      'init: [1, null]',
    ]);
    expect(await fails(['train', path], 2)).toBe(
      `config error: ${path}:5:11: init[1]: must be a finite number, got null`,
    );
  });

  it('a misspelt name suggests the one that was meant', async () => {
    const path = await config('typo.yaml', [
      'model: linear',
      `data: ${data}`,
      'optimizer: { name: sgd, learning_rate: 0.1 }',
      'epoch: 3',
    ]);
    expect(await fails(['train', path], 2)).toMatch(
      /^config error: .*typo\.yaml:\d+:\d+: (optimizer\.learning_rate|epoch): unknown field; did you mean "(learningRate|epochs)"\?/,
    );
  });

  it('a logistic model on targets outside [0, 1] is refused before training', async () => {
    const path = await config('bce.yaml', [
      'model: logistic',
      `data: ${data}`,
      'optimizer: sgd',
      'epochs: 1',
    ]);
    expect(await fails(['train', path], 2)).toMatch(
      new RegExp(
        `^data error: ${data}: the logistic model's binary cross-entropy needs targets in \\[0, 1\\], but 100 of 100 targets are not`,
      ),
    );
  });
});

describe('downhill <command> --help (built CLI)', () => {
  for (const command of ['train', 'demo', 'serve', 'runs']) {
    it(`${command} --help prints its usage and exits 0`, async () => {
      const result = await runCli([command, '--help'], { cwd: dir });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^Usage:\\n  downhill ${command}`));
      expect(result.stdout).toContain('\nExamples:\n');
    });
  }
});
