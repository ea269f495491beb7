import type { TrainEvent } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { ProgressBar, totalStepsOf } from './progress-bar.js';

const base = { runId: 'r', time: 0 };
const start = (
  over: Partial<{ epochs: number; steps: number; batchesPerEpoch: number; step: number }> = {},
) =>
  ({
    ...base,
    type: 'start',
    seq: 0,
    step: over.step ?? 0,
    params: [0],
    config: {
      model: undefined,
      optimizer: { name: 'sgd' },
      data: undefined,
      batchSize: 10,
      samples: 40,
      batchesPerEpoch: over.batchesPerEpoch ?? 4,
      parameterCount: 1,
      seed: 0,
      epochs: over.epochs ?? 2,
      steps: over.steps,
      validationSamples: undefined,
      extra: {},
    },
  }) as TrainEvent & { type: 'start' };

const step = (n: number, epoch: number): TrainEvent => ({
  ...base,
  type: 'step',
  seq: n + 1,
  step: n,
  epoch,
  batch: n % 4,
  loss: 10 - n,
  gradNorm: 1,
  learningRate: 0.01,
  hyperparams: { learningRate: 0.01 },
});

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, output: { isTTY, write: (t: string) => chunks.push(t) } };
}

describe('totalStepsOf', () => {
  it('takes the smaller of steps and epochs x batches', () => {
    expect(totalStepsOf(start())).toBe(8);
    expect(totalStepsOf(start({ steps: 5 }))).toBe(5);
    expect(totalStepsOf(start({ steps: 50 }))).toBe(8);
  });
});

describe('ProgressBar', () => {
  it('redraws one line in place on a terminal, then ends it with a summary', () => {
    let now = 0;
    const { chunks, output } = capture(true);
    const bar = new ProgressBar({ output, now: () => now, intervalMs: 100 });
    bar.update(start());
    now = 1000;
    bar.update(step(0, 0));
    now = 1050; // within the interval: no redraw
    bar.update(step(1, 0));
    now = 2000;
    bar.update(step(3, 0));
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toBe(
      '\r\x1b[2Kepoch 1/2 [##------------------]  12% step 1/8 loss 10 lr 0.01 1.0 steps/s ETA 0:07',
    );
    // The running mean of the epoch's batch losses so far: (10 + 9 + 7) / 3.
    expect(chunks[1]).toBe(
      '\r\x1b[2Kepoch 1/2 [##########----------]  50% step 4/8 loss 8.667 lr 0.01 2.0 steps/s ETA 0:02',
    );
    now = 4000;
    bar.update({
      ...base,
      type: 'end',
      seq: 9,
      reason: 'completed',
      step: 8,
      epoch: 2,
      params: [1],
      loss: 3,
    });
    expect(chunks.slice(2).join('')).toBe(
      '\r\x1b[2Kepoch 1/2 [####################] 100% step 8/8 loss 8.667 lr 0.01 2.0 steps/s ETA 0:00\ncompleted after 8 steps in 0:04, loss 3\n',
    );
  });

  it('prints a line per epoch in a pipe, with the validation loss', () => {
    let now = 0;
    const { chunks, output } = capture(false);
    const bar = new ProgressBar({ output, now: () => now, intervalMs: 0 });
    bar.update(start());
    for (let i = 0; i < 4; i++) bar.update(step(i, 0));
    now = 500;
    bar.update({ ...base, type: 'epoch', seq: 6, epoch: 0, step: 4, loss: 8.5, validationLoss: 9 });
    expect(chunks).toEqual([
      'epoch 1/2 [##########----------]  50% step 4/8 loss 8.5 lr 0.01 8.0 steps/s ETA 0:01 val 9\n',
    ]);
  });

  it('prints every epoch in a pipe however fast, the epoch mean after the running mean, the batch loss when asked', () => {
    const { chunks, output } = capture(false);
    const bar = new ProgressBar({ output, now: () => 1000, intervalMs: 100_000, batchLoss: true });
    bar.update(start());
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let i = 0; i < 4; i++) bar.update(step(epoch * 4 + i, epoch));
      bar.update({
        ...base,
        type: 'epoch',
        seq: 10 + epoch,
        epoch,
        step: 4 * epoch + 4,
        loss: 8.25 - 4 * epoch,
      });
    }
    bar.update({
      ...base,
      type: 'end',
      seq: 20,
      reason: 'completed',
      step: 8,
      epoch: 2,
      params: [1],
      loss: 3,
    });
    expect(chunks.map((c) => c.replace(/ lr .*\n/, ''))).toEqual([
      'epoch 1/2 [##########----------]  50% step 4/8 loss 8.25 batch 7',
      'epoch 2/2 [####################] 100% step 8/8 loss 4.25 batch 3',
      'completed after 8 steps in 0:00, loss 3\n',
    ]);
  });

  it('shows the running mean on a terminal, restarting with each epoch', () => {
    let now = 0;
    const { chunks, output } = capture(true);
    const bar = new ProgressBar({ output, now: () => now, intervalMs: 0 });
    bar.update(start());
    const losses: string[] = [];
    for (let i = 0; i < 8; i++) {
      now += 10;
      bar.update(step(i, Math.floor(i / 4)));
      losses.push(/loss (\S+)/.exec(chunks.at(-1)!)![1]!);
    }
    // Batch losses 10, 9, ..., 3: means 10, 9.5, 9, 8.5, then 6, 5.5, 5, 4.5 in the second epoch.
    expect(losses).toEqual(['10', '9.5', '9', '8.5', '6', '5.5', '5', '4.5']);
  });

  it('reports a resumed start, hyperparameter changes and warnings on their own lines', () => {
    const { chunks, output } = capture(false);
    const bar = new ProgressBar({ output, now: () => 0 });
    bar.update(start({ step: 3 }));
    bar.update({
      ...base,
      type: 'hyperparam',
      seq: 1,
      step: 5,
      name: 'learningRate',
      value: 0.5,
      previous: 0.01,
      source: 'dashboard',
    });
    bar.update({ ...base, type: 'warning', seq: 2, message: 'cannot set "beta"' });
    expect(chunks).toEqual([
      'resuming at step 3\n',
      'step 5: learningRate 0.5 (from dashboard)\n',
      'warning: cannot set "beta"\n',
    ]);
  });
});
