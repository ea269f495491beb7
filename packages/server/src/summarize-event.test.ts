import type { TrainEvent } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import { newSummary, summarizeEvent } from './summarize-event.js';

const step = (seq: number, loss: number): TrainEvent => ({
  type: 'step',
  runId: 'r',
  seq,
  time: seq,
  step: seq,
  epoch: 0,
  batch: seq,
  loss,
  gradNorm: 1,
  learningRate: 0.1,
  hyperparams: { learningRate: 0.1 },
});

describe('summarizeEvent', () => {
  it('keeps the lowest finite step loss as bestLoss, ignoring NaN and infinities', () => {
    const summary = newSummary('r', 'remote', {}, 0);
    expect(summary.bestLoss).toBeUndefined();
    summarizeEvent(summary, step(0, Number.NaN), 1);
    expect(summary.bestLoss).toBeUndefined();
    const losses = [3, 1.5, Number.POSITIVE_INFINITY, 2, 0.75, Number.NaN, 0.9];
    losses.forEach((loss, i) => {
      summarizeEvent(summary, step(i + 1, loss), 1);
    });
    expect(summary.bestLoss).toBe(0.75);
    expect(summary.loss).toBe(0.9);
  });
});
