import { readFileSync } from 'node:fs';
import {
  type Batch,
  createRng,
  type Loader,
  matrix,
  type RunState,
  type TrainEvent,
  type TrainSpec,
  train,
} from '@downhill/core';
import { adam } from '@downhill/optimizers';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropyLoss } from '../losses/losses.js';
import { batchNorm, dense, dropout, moduleObjective, relu, sequential } from './index.js';

/** PyTorch 1.13 values from scripts/batch-norm-fixtures.py: Linear(5, 4), BatchNorm1d(4, momentum 0.2), ReLU, Linear(4, 3). */
const model = (
  JSON.parse(readFileSync(new URL('../../test-fixtures/batch-norm.json', import.meta.url), 'utf8')) as {
    model: {
      names: string[];
      params: number[];
      steps: {
        x: number[];
        y: number[];
        loss: number;
        grad: number[];
        runningMean: number[];
        runningVar: number[];
      }[];
      evalX: number[];
      evalOut: number[];
      final: number[];
    };
  }
).model;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= 1e-9 * (1 + Math.abs(expected[i]!))))
      expect.fail(`${what}[${i}]: ${actual[i]} vs PyTorch ${expected[i]}`);
  }
}

describe('nn.batchNorm as a module', () => {
  it('trains three SGD steps as PyTorch does: loss, gradients, running statistics, evaluation outputs', () => {
    const objective = moduleObjective({
      model: sequential(dense(5, 4), batchNorm(4, { momentum: 0.2 }), relu(), dense(4, 3)),
      loss: softmaxCrossEntropyLoss,
    });
    expect(objective.layout.map((b) => b.name)).toEqual(model.names.map((n) => `layers.${n}`));
    expect(objective.layout.find((b) => b.name === 'layers.1.weight')!.kind).toBe('weight');
    expect(Object.keys(objective.buffers)).toEqual(['layers.1.running_mean', 'layers.1.running_var']);
    const params = Float64Array.from(model.params);
    const grad = new Float64Array(objective.dimension);
    model.steps.forEach((s, i) => {
      const batch = { x: matrix(Float64Array.from(s.x), 8, 5), y: matrix(Float64Array.from(s.y), 8, 1) };
      const loss = objective.loss(params, batch, grad);
      expectClose([loss], [s.loss], `step ${i} loss`);
      expectClose(grad, s.grad, `step ${i} gradient`);
      expectClose(objective.buffers['layers.1.running_mean']!, s.runningMean, `step ${i} running mean`);
      expectClose(objective.buffers['layers.1.running_var']!, s.runningVar, `step ${i} running var`);
      for (let j = 0; j < params.length; j++) params[j]! -= 0.1 * grad[j]!;
    });
    expectClose(params, model.final, 'parameters after three steps');
    const out = objective.predict(params, matrix(Float64Array.from(model.evalX), 6, 5));
    expectClose(out.data, model.evalOut, 'evaluation outputs');
    // Evaluation (a loss without a gradient, as the run loop's validation) leaves the statistics alone.
    const before = objective.saveState();
    const batch = { x: matrix(Float64Array.from(model.evalX), 6, 5), y: matrix(new Float64Array(6), 6, 1) };
    objective.loss(params, batch);
    expect(objective.saveState()).toEqual(before);
  });

  it('loadState refuses a state of another model, naming the field', () => {
    const objective = moduleObjective({
      model: sequential(dense(2, 3), batchNorm(3)),
      loss: softmaxCrossEntropyLoss,
    });
    expect(() => objective.loadState({ buffers: {}, rng: [1, 2] })).toThrow(
      /buffers.layers.1.running_mean should be a Float64Array\(3\), got undefined/,
    );
    const state = objective.saveState();
    expect(() =>
      objective.loadState({ ...state, buffers: { ...state.buffers, 'layers.9.x': new Float64Array(1) } }),
    ).toThrow(/buffers the model does not: layers.9.x/);
    expect(() => objective.loadState({ ...state, rng: 'x' })).toThrow(/rng must be a list of integers/);
  });
});

/** 96 rows of 6 features in 3 classes, batches of 16, shuffled per epoch from the seed. */
function loaderOf(seed: number): Loader<Batch> {
  const rng = createRng(seed);
  const rows = 96;
  const x = Float64Array.from({ length: rows * 6 }, () => rng.normal(0, 1));
  const y = Float64Array.from({ length: rows }, (_, r) =>
    x[r * 6]! + x[r * 6 + 1]! > 0 ? (x[r * 6 + 2]! > 0 ? 2 : 1) : 0,
  );
  return {
    batchesPerEpoch: 6,
    samples: rows,
    batchSize: 16,
    *epoch(epoch) {
      const order = createRng(seed * 1000 + epoch).shuffle(Array.from({ length: rows }, (_, i) => i));
      for (let b = 0; b < 6; b++) {
        const bx = new Float64Array(16 * 6);
        const by = new Float64Array(16);
        for (let r = 0; r < 16; r++) {
          const src = order[b * 16 + r]!;
          bx.set(x.subarray(src * 6, src * 6 + 6), r * 6);
          by[r] = y[src]!;
        }
        yield { x: matrix(bx, 16, 6), y: matrix(by, 16, 1) };
      }
    },
  };
}

describe('module state in checkpoints', () => {
  const make = () =>
    moduleObjective({
      model: sequential(dense(6, 16), batchNorm(16), relu(), dropout(0.3), dense(16, 3)),
      loss: softmaxCrossEntropyLoss,
    });
  const spec = (objective: ReturnType<typeof make>): TrainSpec<Batch> => ({
    objective,
    optimizer: adam({ learningRate: 0.01 }),
    params: (rng) => objective.initialize(rng),
    loader: loaderOf(4),
    steps: 30,
    seed: 9,
    runId: 'module-state',
    mode: 'sync',
    controllers: [objective.stateController],
  });
  const endOf = (events: TrainEvent[]) => {
    const end = events[events.length - 1]!;
    if (end.type !== 'end') throw new Error('the run did not end');
    return end;
  };

  it('a run resumed from a checkpoint draws the same dropout masks and keeps the same running statistics, bit for bit', () => {
    const straight = make();
    const events: TrainEvent[] = [];
    train(spec(straight)).subscribe((e) => events.push(e));
    const full = endOf(events);

    const first = make();
    let saved: RunState | undefined;
    train({
      ...spec(first),
      steps: 30,
      checkpoint: {
        everySteps: 13,
        atEnd: false,
        save: (s) => {
          if (s.step === 13) saved = JSON.parse(JSON.stringify(s));
        },
      },
    }).subscribe();
    expect(saved?.kept['autodiff.moduleState']).toBeDefined();

    // A fresh objective (another process): its state comes only from the checkpoint.
    const resumed = make();
    const after: TrainEvent[] = [];
    train({ ...spec(resumed), restore: saved! }).subscribe((e) => after.push(e));
    const end = endOf(after);
    expect(end.step).toBe(30);
    expect(Buffer.from(new Float64Array(end.params).buffer)).toEqual(
      Buffer.from(new Float64Array(full.params).buffer),
    );
    expect(resumed.saveState()).toEqual(straight.saveState());
    // The running statistics moved away from their initial values.
    expect(resumed.buffers['layers.1.running_var']!.some((v) => v !== 1)).toBe(true);
  });

  it('without the state in the checkpoint, the resumed run differs (the test above can fail)', () => {
    const straight = make();
    const events: TrainEvent[] = [];
    train(spec(straight)).subscribe((e) => events.push(e));
    let saved: RunState | undefined;
    train({
      ...spec(make()),
      checkpoint: {
        everySteps: 13,
        atEnd: false,
        save: (s) => {
          if (s.step === 13) saved = JSON.parse(JSON.stringify(s));
        },
      },
    }).subscribe();
    const { 'autodiff.moduleState': _, ...kept } = saved!.kept;
    const after: TrainEvent[] = [];
    train({ ...spec(make()), restore: { ...saved!, kept } }).subscribe((e) => after.push(e));
    expect(endOf(after).params).not.toEqual(endOf(events).params);
  });

  it('a fresh run seeds its dropout RNG from the run seed: another seed draws other masks', () => {
    const a = make();
    train({ ...spec(a), steps: 2 }).subscribe();
    const b = make();
    train({ ...spec(b), steps: 2, seed: 10 }).subscribe();
    expect(a.saveState().rng).not.toEqual(b.saveState().rng);
    const c = make();
    train({ ...spec(c), steps: 2 }).subscribe();
    expect(c.saveState()).toEqual(a.saveState());
  });
});
