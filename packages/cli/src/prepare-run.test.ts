import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Batch, train } from '@downhill/core';
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

describe('prepareRun with the optimizers of issue 21', () => {
  const copy = (b: Batch): Batch => ({
    x: { rows: b.x.rows, cols: b.x.cols, data: Float64Array.from(b.x.data) },
    y: { rows: b.y.rows, cols: b.y.cols, data: Float64Array.from(b.y.data) },
  });

  it("sam: the second gradient is taken on the step's own mini-batch (Foret et al., Algorithm 1)", async () => {
    const rho = 0.2;
    const lr = 0.05;
    const prepared = await prepareRun(
      config({ optimizer: { name: 'sam', rho, base: { name: 'sgd', learningRate: lr } } }),
      dir,
    );
    // The loader is seeded: the batches of epoch 0 are the ones the run will take.
    // Copied as they come: a loader reuses its batch buffers.
    const batches = Array.from(prepared.spec.loader!.epoch(0) as Iterable<Batch>, copy);
    expect(batches).toHaveLength(3);
    // By hand: e = rho g / ||g||, w <- w - lr grad L_B(w + e), each with the step's batch B.
    const { model } = prepared;
    let w = new Float64Array(3);
    const expected: number[][] = [];
    for (const batch of batches) {
      const g = new Float64Array(3);
      model.loss(w, batch, g);
      const norm = Math.hypot(...g);
      const g2 = new Float64Array(3);
      model.loss(
        w.map((wi, i) => wi + (rho * g[i]!) / norm),
        batch,
        g2,
      );
      w = w.map((wi, i) => wi - lr * g2[i]!);
      expected.push(Array.from(w));
    }
    const events = await lastValueFrom(
      train({ ...prepared.spec, epochs: 1, recordParams: 1, mode: 'sync' }).pipe(toArray()),
    );
    const params = events.flatMap((e) => (e.type === 'step' ? [e.params!] : []));
    expect(params).toHaveLength(3);
    // Two gradients a step, counted by the run loop.
    expect(events.flatMap((e) => (e.type === 'step' ? [e.evaluations] : []))).toEqual([2, 2, 2]);
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < 3; i++) expect(params[k]![i]).toBeCloseTo(expected[k]![i]!, 13);
  });

  it("sam: a schedule starts from the base optimizer's learning rate", async () => {
    const prepared = await prepareRun(
      config({
        optimizer: { name: 'sam', base: { name: 'sgd', learningRate: 0.04 } },
        schedule: { name: 'step-decay', stepSize: 2, gamma: 0.5 },
      }),
      dir,
    );
    const events = await lastValueFrom(train({ ...prepared.spec, epochs: 2, mode: 'sync' }).pipe(toArray()));
    const rates = events.flatMap((e) => (e.type === 'step' ? [e.learningRate] : []));
    expect(rates).toEqual([0.04, 0.04, 0.02, 0.02, 0.01, 0.01]);
  });

  it("lamb and lars take the model's layout: one trust ratio per block", async () => {
    // Linear model: weights 1x2 and bias 1x1. LARS without momentum, eta 1 and no decay steps each
    // block by lr ||w_block|| g_block / ||g_block||: from w = (1, 1), b = 1, by hand below.
    const options = { name: 'lars', learningRate: 0.1, momentum: 0, trustCoefficient: 1 };
    const prepared = await prepareRun(config({ optimizer: options, init: [1, 1, 1] }), dir);
    const batch = Array.from(prepared.spec.loader!.epoch(0) as Iterable<Batch>, copy)[0]!;
    const g = new Float64Array(3);
    prepared.model.loss(Float64Array.from([1, 1, 1]), batch, g);
    const weightNorm = Math.SQRT2;
    const gw = Math.hypot(g[0]!, g[1]!);
    const expected = [
      1 - (0.1 * weightNorm * g[0]!) / gw,
      1 - (0.1 * weightNorm * g[1]!) / gw,
      1 - 0.1 * Math.sign(g[2]!),
    ];
    const events = await lastValueFrom(
      train({ ...prepared.spec, steps: 1, recordParams: 1, mode: 'sync' }).pipe(toArray()),
    );
    const step = events.find((e) => e.type === 'step');
    const params = step?.type === 'step' ? step.params! : [];
    for (let i = 0; i < 3; i++) expect(params[i]).toBeCloseTo(expected[i]!, 13);
  });

  it('lbfgs: full batch, strong Wolfe, finds the generating plane in a few steps, its evaluations counted', async () => {
    const prepared = await prepareRun(
      config({
        // PyTorch's default tolerances stop on an absolute loss change of 1e-9, ~1e-6 from the plane.
        optimizer: {
          name: 'lbfgs',
          lineSearch: 'strong-wolfe',
          maxIterations: 10,
          toleranceGrad: 1e-13,
          toleranceChange: 1e-20,
        },
        batchSize: 'full',
        epochs: 3,
      }),
      dir,
    );
    const events = await lastValueFrom(train({ ...prepared.spec, mode: 'sync' }).pipe(toArray()));
    const end = events.at(-1)!;
    expect(end.type === 'end' && end.reason).toBe('completed');
    const [wa, wb, bias] = (end.type === 'end' ? end.params : []) as number[];
    // Noise-free least squares: the plane 2 a - b + 1 to rounding.
    expect(wa).toBeCloseTo(2, 9);
    expect(wb).toBeCloseTo(-1, 9);
    expect(bias).toBeCloseTo(1, 9);
    const first = events.find((e) => e.type === 'step');
    expect(first?.type === 'step' && first.evaluations).toBeGreaterThan(2);
  });

  it('newton: one undamped Newton step solves the least squares plane (a quadratic)', async () => {
    const prepared = await prepareRun(config({ optimizer: 'newton', batchSize: 'full', steps: 1 }), dir);
    const events = await lastValueFrom(train({ ...prepared.spec, mode: 'sync' }).pipe(toArray()));
    const end = events.at(-1)!;
    const [wa, wb, bias] = (end.type === 'end' ? end.params : []) as number[];
    // Central differences are exact on a quadratic: the plane 2 a - b + 1 after one step.
    expect(wa).toBeCloseTo(2, 6);
    expect(wb).toBeCloseTo(-1, 6);
    expect(bias).toBeCloseTo(1, 6);
    // The run loop's gradient, 2 n = 6 for the Hessian, 1 at the full step.
    const step = events.find((e) => e.type === 'step');
    expect(step?.type === 'step' && step.evaluations).toBe(8);
  });

  it.each([
    'asgd',
    'adabelief',
    'yogi',
    'lamb',
    'lars',
    'adafactor',
    // The authors' default gamma of 1 diverges on this unscaled MLP (so does SGD at 0.05).
    { name: 'schedule-free-sgd', learningRate: 0.01 },
    'schedule-free-adamw',
    'prodigy',
    'muon',
  ])('%s trains from a config through train()', async (optimizer) => {
    const prepared = await prepareRun(
      config({ model: { type: 'mlp', hidden: [4] }, optimizer, init: 'model', epochs: 3 }),
      dir,
    );
    const events = await lastValueFrom(train({ ...prepared.spec, mode: 'sync' }).pipe(toArray()));
    const end = events.at(-1)!;
    expect(end.type === 'end' && end.reason).toBe('completed');
    expect(events.filter((e) => e.type === 'step')).toHaveLength(9);
    expect(prepared.spec.optimizer.settable).toContain('learningRate');
  });
});
