import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-io.js';
import { sweepCommand } from './sweep-command.js';

const DATA = fileURLToPath(new URL('../../../../../shared/data/breast-cancer.csv', import.meta.url));
const TRAIN = `model: logistic
data: { file: ${JSON.stringify(DATA)}, header: true, targets: benign, validationSplit: 0.2, scale: standard }
optimizer: { name: sgd, learningRate: 0.1 }
batchSize: 32
epochs: 9
seed: 3
`;
const SWEEP = `name: bc
algorithm: { name: tpe, startupTrials: 4 }
trials: 8
seed: 1
metric: validationLoss
earlyTermination: asha
space:
  optimizer:
    learningRate: { logUniform: [0.001, 1] }
    momentum: { uniform: [0, 0.95] }
train: train.yaml
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-sweep-'));
  await writeFile(join(dir, 'train.yaml'), TRAIN);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('downhill sweep', () => {
  it('runs TPE with ASHA over a train config file and prints every trial and the best', async () => {
    const path = await write('sweep.yaml', SWEEP);
    const { out, err, io } = captureIo();
    expect(await main(['sweep', path], io)).toBe(0);
    expect(err).toEqual([]);
    const text = out.join('');
    expect(text).toContain(
      'sweep bc: tpe, 8 trials, inline, ASHA (epochs 1..9, eta 3); minimising validationLoss\n',
    );
    const table = text.split('\n\n')[1]!.split('\n');
    expect(table[0]).toMatch(
      /^trial +state +optimizer\.learningRate +optimizer\.momentum +validationLoss +epochs$/,
    );
    expect(table.slice(1).map((row) => row.split(/ +/)[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    for (const row of table.slice(1)) {
      const [, state, , , value, epochs] = row.split(/ +/);
      expect(['completed', 'pruned']).toContain(state);
      expect(Number(value)).toBeGreaterThan(0);
      // ASHA's rungs are at 1 and 3 epochs; a completed trial trains all 9.
      expect(state === 'completed' ? ['9'] : ['1', '3']).toContain(epochs);
    }
    const best = /best: bc-(\d+), validationLoss ([0-9.]+)/.exec(text);
    expect(best).not.toBeNull();
    const completed = table
      .slice(1)
      .map((row) => row.split(/ +/))
      .filter((c) => c[1] === 'completed')
      .map((c) => Number(c[4]));
    expect(Number(best![2])).toBe(Math.min(...completed));
  });

  it('gives the same trials in worker threads as inline', async () => {
    const path = await write('sweep.yaml', SWEEP);
    const inline = await sweepCommand({ configPath: path, output: { write: () => true } });
    const threads = await sweepCommand({
      configPath: path,
      executor: 'threads',
      concurrency: 1,
      output: { write: () => true },
    });
    const strip = (rows: typeof inline.rows) =>
      rows.map(({ index, config, state, value, budget }) => ({ index, config, state, value, budget }));
    expect(strip(threads.rows)).toEqual(strip(inline.rows));
    expect(threads.best?.index).toBe(inline.best?.index);
  });

  it('runs PBT and says who copies whom', async () => {
    const path = await write(
      'pbt.yaml',
      `algorithm: { name: pbt, population: 4, perturbationInterval: 3 }
space:
  optimizer:
    learningRate: { logUniform: [0.001, 0.1] }
train: train.yaml
`,
    );
    const { out, io } = captureIo();
    expect(await main(['sweep', path], io)).toBe(0);
    const text = out.join('');
    // 9 epochs, an interval of 3: exploits after epochs 3 and 6, one member each (a quarter of 4).
    expect(text.match(/trial-\d copies trial-\d at epoch 3 /g)).toHaveLength(1);
    expect(text.match(/trial-\d copies trial-\d at epoch 6 /g)).toHaveLength(1);
    expect(text).toContain('4 trials: 4 completed, 0 pruned, 0 failed');
  });

  it('points at the file and line of a bad field, in the sweep file or the train file', async () => {
    const bad = await write('bad.yaml', SWEEP.replace('metric: validationLoss', 'metric: acuracy'));
    const { err, io } = captureIo();
    expect(await main(['sweep', bad], io)).toBe(2);
    expect(err.join('')).toBe(
      `config error: ${bad}:5:1: metric: unknown metric "acuracy" for the logistic-regression model; did you mean "accuracy"? (allowed: loss, validationLoss, accuracy)\n`,
    );
    await writeFile(join(dir, 'train.yaml'), TRAIN.replace('name: sgd', 'name: sgdd'));
    const good = await write('sweep.yaml', SWEEP);
    const second = captureIo();
    expect(await main(['sweep', good], second.io)).toBe(2);
    expect(second.err.join('')).toMatch(
      new RegExp(
        `^config error: ${join(dir, 'train.yaml')}:3:14: optimizer.name: unknown value "sgdd"; did you mean "sgd"\\?`,
      ),
    );
  });

  it('Ctrl-C stops the running trials and prints what finished', async () => {
    const path = await write('sweep.yaml', SWEEP.replace('trials: 8', 'trials: 50'));
    const interrupt = new Subject<void>();
    const out: string[] = [];
    const outcome = await sweepCommand({
      configPath: path,
      output: {
        write: (t: string) => {
          out.push(t);
          // The first trial to finish interrupts the sweep.
          if (/^bc-\d+ (completes|pruned)/.test(t)) interrupt.next();
          return true;
        },
      },
      interrupt,
    });
    expect(outcome.interrupted).toBe(true);
    const finished = outcome.rows.filter((r) => r.state !== 'running');
    expect(finished).toHaveLength(1);
    expect(outcome.rows.length).toBeLessThan(50);
    expect(out.join('')).toMatch(
      /\n\d+ trials: [01] completed, [01] pruned, 0 failed, \d+ stopped \(interrupted\)\n/,
    );
  });

  it('refuses a missing config file and a bad --executor as usage errors', async () => {
    const none = captureIo();
    expect(await main(['sweep'], none.io)).toBe(2);
    expect(none.err.join('')).toMatch(/^downhill: sweep needs a sweep config file/);
    const path = await write('sweep.yaml', SWEEP);
    const bad = captureIo();
    expect(await main(['sweep', path, '--executor', 'gpu'], bad.io)).toBe(2);
    expect(bad.err.join('')).toMatch(/^downhill: --executor must be inline or threads, got "gpu"/);
  });
});
