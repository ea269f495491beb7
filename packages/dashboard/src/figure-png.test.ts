import { describe, expect, it } from 'vitest';
import { figureFileName } from './figure-png.js';

describe('figureFileName', () => {
  it('names the chart and the runs', () => {
    expect(figureFileName('Learning curve', ['adam lr 0.01', 'SGD (momentum)'], 'png')).toBe(
      'learning-curve--adam-lr-0.01--sgd-momentum.png',
    );
  });

  it('names three runs and counts the rest', () => {
    expect(figureFileName('Learning rate', ['a', 'b', 'c', 'd', 'e'], 'csv')).toBe(
      'learning-rate--a--b--c--and-2-more.csv',
    );
    expect(figureFileName('x', ['///'], 'png')).toBe('x--run.png');
  });
});
