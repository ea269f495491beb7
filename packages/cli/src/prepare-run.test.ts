import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '@downhill/core';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config/config-error.js';
import { parseTrainConfig } from './config/parse-train-config.js';
import { prepareRun } from './prepare-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-prepare-'));
  // y = 2 a - b + 1 exactly, with a header and an unused column.
  const rows = ['a,b,unused,y'];
  for (let i = 0; i < 40; i++) {
    const a = (i % 7) - 3;
    const b = (i % 5) - 2;
    rows.push(`${a},${b},${i},${2 * a - b + 1}`);
  }
  await writeFile(join(dir, 'plane.csv'), `${rows.join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = (extra: Record<string, unknown> = {}) =>
  parseTrainConfig({
    model: 'linear',
    data: { file: 'plane.csv', header: true, features: ['a', 'b'], targets: 'y', validationSplit: 0.25 },
    optimizer: { name: 'sgd', learningRate: 0.05 },
    batchSize: 10,
    epochs: 200,
    init: 'zeros',
    ...extra,
  });

describe('prepareRun', () => {
  it('reads named columns, splits off validation rows and fits the plane', async () => {
    const prepared = await prepareRun(config(), dir);
    expect(prepared.trainRows).toBe(30);
    expect(prepared.validationRows).toBe(10);
    expect(prepared.model.dimension).toBe(3);
    const events = await lastValueFrom(train({ ...prepared.spec, mode: 'sync' }).pipe(toArray()));
    const end = events.at(-1)!;
    expect(end.type === 'end' && end.reason).toBe('completed');
    const [wa, wb, bias] = (end.type === 'end' ? end.params : []) as number[];
    // The generating plane: weights (2, -1), bias 1 (noise-free, so gradient descent recovers it).
    expect(wa).toBeCloseTo(2, 4);
    expect(wb).toBeCloseTo(-1, 4);
    expect(bias).toBeCloseTo(1, 4);
    const lastEpoch = events.filter((e) => e.type === 'epoch').at(-1)!;
    expect(lastEpoch.type === 'epoch' && lastEpoch.validationLoss).toBeLessThan(1e-8);
  });

  it('puts the schedule into the optimizer and its description into the start config', async () => {
    const prepared = await prepareRun(
      config({ schedule: { name: 'step-decay', stepSize: 3, gamma: 0.5 } }),
      dir,
    );
    const events = await lastValueFrom(train({ ...prepared.spec, epochs: 2, mode: 'sync' }).pipe(toArray()));
    const rates = events.flatMap((e) => (e.type === 'step' ? [e.learningRate] : []));
    expect(rates).toEqual([0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
    const start = events[0]!;
    expect(start.type === 'start' && start.config.extra.schedule).toMatchObject({
      name: 'stepDecay',
      initial: 0.05,
    });
  });

  it('turns library argument errors into config errors on the component', async () => {
    const err = await prepareRun(config({ optimizer: { name: 'sgd', nesterov: true } }), dir).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('optimizer');
    expect((err as ConfigError).message).toContain('nesterov');
  });

  it('refuses early stopping on validation loss without validation rows', async () => {
    const c = parseTrainConfig({
      model: 'linear',
      data: { file: 'plane.csv', header: true, targets: 'y' },
      optimizer: 'sgd',
      epochs: 2,
      stopping: { earlyStopping: { patience: 2 } },
    });
    await expect(prepareRun(c, dir)).rejects.toThrow(
      'stopping.earlyStopping.monitor: validationLoss needs held-out rows',
    );
  });

  it('refuses targets the loss cannot fit before training: BCE outside [0, 1], class indices out of range', async () => {
    const logistic = {
      model: 'logistic',
      data: { file: 'plane.csv', header: true, features: ['a', 'b'], targets: 'y' },
    };
    // y = 2a - b + 1 runs from -7 to 9: not probabilities.
    await expect(prepareRun(config(logistic), dir)).rejects.toThrow(
      /plane\.csv: the logistic model's binary cross-entropy needs targets in \[0, 1\], but \d+ of 40 targets are not \(the first in data row 1, column "y": -3; targets range from -7 to 9\)/,
    );
    const softmax = {
      model: { type: 'softmax', classes: 3 },
      data: { file: 'plane.csv', header: true, features: ['a', 'b'], targets: 'unused' },
    };
    await expect(prepareRun(config(softmax), dir)).rejects.toThrow(
      'the softmax model\'s 3 classes needs class indices 0 to 2, but 37 of 40 targets are not (the first in data row 4, column "unused": 3;',
    );
    // In range, they pass.
    await writeFile(join(dir, 'labels.csv'), 'a,b,c\n0,1,0\n1,0,1\n0,0,2\n');
    const fine = {
      model: { type: 'softmax', classes: 3 },
      data: { file: 'labels.csv', header: true, features: ['a', 'b'], targets: 'c' },
    };
    expect((await prepareRun(config(fine), dir)).trainRows).toBe(3);
  });
});
