import { describe, expect, it } from 'vitest';
import { formatDuration, formatNumber, formatProgress } from './format-progress.js';

describe('formatProgress', () => {
  it('shows epoch, bar, step, loss, learning rate, rate and ETA', () => {
    const line = formatProgress(
      {
        epoch: 2,
        epochs: 10,
        step: 450,
        totalSteps: 1000,
        loss: 0.123456,
        learningRate: 0.01,
        rate: 1234,
        eta: 4.4,
      },
      { barWidth: 10 },
    );
    expect(line).toBe('epoch 3/10 [####------]  45% step 450/1000 loss 0.1235 lr 0.01 1.2k steps/s ETA 0:04');
  });

  it('leaves the bar out when the length is unknown and hides a missing learning rate', () => {
    const line = formatProgress({
      epoch: 0,
      epochs: undefined,
      step: 7,
      totalSteps: undefined,
      loss: 2,
      learningRate: Number.NaN,
      rate: 3.5,
      eta: undefined,
    });
    expect(line).toBe('epoch 1 step 7 loss 2 3.5 steps/s ETA --:--');
  });
});

describe('formatNumber and formatDuration', () => {
  it('uses exponents for very small and large numbers', () => {
    expect(formatNumber(1e-4)).toBe('1.000e-4');
    expect(formatNumber(12345678)).toBe('1.235e+7');
    expect(formatNumber(5.00012)).toBe('5');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-inf');
  });

  it('formats seconds as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(61)).toBe('1:01');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('--:--');
  });
});
