import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, FIXTURES, runCli, startCli } from './run-cli.js';

let dir: string;

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'downhill-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

async function readEvents(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('downhill train (built CLI)', () => {
  it('trains on a CSV with a progress bar and writes parameters, optimizer state and the event log', async () => {
    const out = join(dir, 'plain');
    const result = await runCli(['train', 'linreg.yaml', '--out', out]);
    expect(result.stderr, result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('linear-regression, 2 parameters, 80 training rows, 20 validation rows');
    expect(result.stdout).toMatch(
      /epoch 1\/40 \[#*-*\] +\d+% step \d+\/200 loss \S+ lr 1\.000e-4 .* steps\/s ETA/,
    );
    expect(result.stdout).toMatch(/epoch 40\/40 \[#{20}\] 100% step 200\/200/);
    expect(result.stdout).toMatch(/completed after 200 steps/);
    expect(result.stdout).toMatch(/final parameters: weights \[\S+\] bias \[\S+\]/);

    const saved = await readJson(join(out, 'params.json'));
    expect(saved).toMatchObject({ step: 200, epoch: 40, reason: 'completed' });
    const events = await readEvents(join(out, 'events.jsonl'));
    expect(events[0]!.type).toBe('start');
    const end = events.at(-1)!;
    expect(end.type).toBe('end');
    expect(end.params).toEqual(saved.params);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(200);
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs).toHaveLength(40);
    expect(typeof epochs[0]!.validationLoss).toBe('number');
    // seq is gap-free over the whole log.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    // The learning curve goes down: the article's data from (0, 0) starts near loss 5566.
    expect(epochs.at(-1)!.loss as number).toBeLessThan((epochs[0]!.loss as number) / 10);
    const state = await readJson(join(out, 'optimizer-state.json'));
    expect(JSON.stringify(state)).toContain('$f64');
    const config = await readJson(join(out, 'config.json'));
    expect(config.baseDir).toBe(FIXTURES.replace(/\/$/, ''));
  });

  it('--resume continues a stopped run to the same final parameters as an uninterrupted one', async () => {
    const whole = join(dir, 'whole');
    const parts = join(dir, 'parts');
    expect((await runCli(['train', 'linreg.yaml', '--out', whole])).code).toBe(0);
    // 37 steps: mid-epoch (5 batches an epoch), with momentum state and a shuffled order to restore.
    const first = await runCli(['train', 'linreg.yaml', '--out', parts, '--max-steps', '37']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/stopped after 37 steps/);
    expect(await readJson(join(parts, 'params.json'))).toMatchObject({ step: 37, reason: 'stopped' });

    // The checkpoint keeps the config: resuming needs only the directory.
    const second = await runCli(['train', '--resume', parts], { cwd: dir });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('resuming at step 37');
    expect(second.stdout).toMatch(/completed after 200 steps/);

    const expected = (await readJson(join(whole, 'params.json'))).params as number[];
    const resumed = (await readJson(join(parts, 'params.json'))).params as number[];
    expect(resumed).toEqual(expected);
    // The log holds both parts as one run: 37 steps, then the 163 that remained, with the same
    // run id and a gap-free seq (the resumed start event is not logged again).
    const events = await readEvents(join(parts, 'events.jsonl'));
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
    expect(events.filter((e) => e.type === 'start').map((e) => e.step)).toEqual([0]);
    expect(new Set(events.map((e) => e.runId)).size).toBe(1);
    // The stop at step 37 ended the first part; the resumed part continues after its end event.
    expect(events.filter((e) => e.type === 'end').map((e) => e.step)).toEqual([37, 200]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));

    // A finished run has nothing left to resume.
    const again = await runCli(['train', '--resume', parts], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      `nothing to resume: the run in ${parts} already took 200 steps and the config asks for 200`,
    );
  });

  it('Ctrl-C stops the run at a step boundary and still writes its outputs', async () => {
    const config = [
      'model: linear',
      `data: ${join(FIXTURES, 'linreg-100.csv')}`,
      'optimizer: { name: sgd, learningRate: 0.00001 }',
      'batchSize: 1',
      'epochs: 1000000',
      '',
    ].join('\n');
    await writeFile(join(dir, 'endless.yaml'), config);
    const out = join(dir, 'interrupted');
    const cli = startCli(['train', 'endless.yaml', '--out', out], { cwd: dir });
    while (!/epoch \d+\/1000000/.test(cli.output())) await new Promise((r) => setTimeout(r, 20));
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/stopped after \d+ steps/);
    const saved = await readJson(join(out, 'params.json'));
    expect(saved.reason).toBe('stopped');
    const events = await readEvents(join(out, 'events.jsonl'));
    expect(events.at(-1)).toMatchObject({ type: 'end', reason: 'stopped', source: 'user', step: saved.step });
  });

  it('reads JSON configs too', async () => {
    const config = {
      model: { type: 'polynomial', degree: 1 },
      data: { file: join(FIXTURES, 'linreg-100.csv') },
      optimizer: { name: 'adam', learningRate: 0.5 },
      schedule: { name: 'cosine-decay', decaySteps: 300 },
      batchSize: 'full',
      steps: 300,
      init: 'zeros',
      stopping: { convergence: { epsilon: 1e-7, patience: 3 } },
    };
    await writeFile(join(dir, 'adam.json'), JSON.stringify(config));
    const result = await runCli(['train', 'adam.json'], { cwd: dir });
    expect(result.stderr, result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/(completed|converged) after \d+ steps/);
  });
});

describe('downhill train: bad configs', () => {
  async function fails(name: string, text: string) {
    await writeFile(join(dir, name), text);
    await copyFile(join(FIXTURES, 'linreg-100.csv'), join(dir, 'linreg-100.csv'));
    const result = await runCli(['train', name], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    return result.stderr;
  }
  const base = ['model: linear', 'data: linreg-100.csv', 'epochs: 2'];

  it('an unknown optimizer names the field, its place and the known optimizers', async () => {
    const stderr = await fails('bad-optimizer.yaml', [...base, 'optimizer:', '  name: adamm', ''].join('\n'));
    expect(stderr).toContain(
      `config error: ${join(dir, 'bad-optimizer.yaml')}:5:3: optimizer.name: unknown value "adamm"`,
    );
    expect(stderr).toMatch(/allowed: sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw/);
  });

  it('a misspelt option lists the options of that optimizer', async () => {
    const stderr = await fails(
      'bad-option.yaml',
      [...base, 'optimizer:', '  name: sgd', '  learning_rate: 0.1', ''].join('\n'),
    );
    expect(stderr).toContain(
      'bad-option.yaml:6:3: optimizer.learning_rate: unknown field; did you mean "learningRate"? (allowed: name, learningRate',
    );
  });

  it('a value out of range says what is allowed', async () => {
    const stderr = await fails(
      'bad-rate.json',
      JSON.stringify({ model: 'linear', data: 'linreg-100.csv', epochs: 0, optimizer: 'sgd' }, null, 2),
    );
    expect(stderr).toContain('bad-rate.json:4:3: epochs: must be an integer >= 1, got number 0');
  });

  it('a missing data file names the full path', async () => {
    const stderr = await fails(
      'no-data.yaml',
      ['model: linear', 'data: missing/points.csv', 'epochs: 2', 'optimizer: sgd', ''].join('\n'),
    );
    expect(stderr).toContain(`data.file: data file not found: ${join(dir, 'missing/points.csv')}`);
  });

  it('a bad column names the data file, line and the available columns', async () => {
    const stderr = await fails(
      'bad-column.yaml',
      [
        'model: linear',
        'data:',
        '  file: linreg-100.csv',
        '  targets: 5',
        'epochs: 2',
        'optimizer: sgd',
        '',
      ].join('\n'),
    );
    expect(stderr).toContain(`data error: ${join(dir, 'linreg-100.csv')}: line 1`);
    expect(stderr).toContain('column index 5 is out of range');
  });

  it("wrong initial parameters name the model's parameter blocks", async () => {
    const stderr = await fails(
      'bad-init.yaml',
      [...base, 'optimizer: sgd', 'init: [1, 2, 3]', ''].join('\n'),
    );
    expect(stderr).toContain('init: has 3 values, the model has 2 parameters (weights 1x1, bias 1x1)');
  });

  it('a YAML syntax error points at its line', async () => {
    const stderr = await fails('broken.yaml', 'model: linear\noptimizer: [sgd\n');
    expect(stderr).toMatch(/broken\.yaml:\d+:\d+: config: cannot be parsed/);
  });

  it('a missing config file names it', async () => {
    const result = await runCli(['train', 'nowhere.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`file not found: ${join(dir, 'nowhere.yaml')}`);
  });
});
