import { describe, expect, it } from 'vitest';
import { PlateauDetector } from './plateau-detector.js';

describe('PlateauDetector', () => {
  it('fills PyTorch defaults from partial options: patience 2 reduces at the 3rd bad epoch by 0.1', () => {
    const d = new PlateauDetector({ patience: 2 });
    expect(d.settings()).toEqual({
      semantics: 'pytorch',
      mode: 'min',
      thresholdMode: 'rel',
      factor: 0.1,
      patience: 2,
      threshold: 1e-4,
      cooldown: 0,
      minLr: 0,
      eps: 1e-8,
    });
    expect(d.observe(1, 0.5)).toBeUndefined(); // best = 1
    expect(d.observe(1, 0.5)).toBeUndefined(); // bad 1
    expect(d.observe(1, 0.5)).toBeUndefined(); // bad 2
    expect(d.observe(1, 0.5)).toBeCloseTo(0.05, 15); // bad 3 > patience
  });

  it('with no options at all uses patience 10', () => {
    const d = new PlateauDetector();
    const answers = Array.from({ length: 12 }, () => d.observe(1, 1));
    expect(answers.slice(0, 11).every((a) => a === undefined)).toBe(true);
    expect(answers[11]).toBeCloseTo(0.1, 15);
  });

  it('keras semantics default to an absolute threshold; bad values are refused, named', () => {
    expect(new PlateauDetector({ semantics: 'keras' }).settings().thresholdMode).toBe('abs');
    expect(() => new PlateauDetector({ factor: 1.5 })).toThrow(
      'PlateauDetector: factor must be a finite number in (0, 1), got 1.5',
    );
    expect(() => new PlateauDetector({ mode: 'down' as 'min' })).toThrow(
      /PlateauDetector: mode must be one of/,
    );
  });
});
