import { type EndEvent, type Optimizer, train } from '@downhill/core';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { lrRangeTest } from './lr-range-test.js';
import { sweepRate } from './lr-sweep.js';
import { batches, fullBatch, type LogisticData, logisticData, logisticObjective } from './test-logistic.js';
import { testSgd } from './test-sgd.js';

function example(seed: number) {
  const data = logisticData({ rows: 512, features: 8, seed });
  return {
    data,
    objective: logisticObjective(data.cols),
    loader: batches(data, 32),
    zeros: new Float64Array(data.cols),
  };
}

/** Full-data loss after `steps` SGD steps at the constant rate `lr`, from the zero vector. */
function lossAfter(data: LogisticData, lr: number, steps: number): number {
  const objective = logisticObjective(data.cols);
  let end: EndEvent | undefined;
  train({
    objective,
    optimizer: testSgd(lr),
    params: new Float64Array(data.cols),
    loader: batches(data, 32),
    steps,
    mode: 'sync',
  }).subscribe((e) => {
    if (e.type === 'end') end = e;
  });
  if (end?.reason !== 'completed') return Number.POSITIVE_INFINITY;
  return objective.loss(Float64Array.from(end.params), fullBatch(data));
}

describe('lrRangeTest', () => {
  it('runs on a logistic objective whose gradient matches central differences', () => {
    const { data, objective } = example(7);
    const w = Float64Array.from({ length: data.cols }, (_, i) => 0.3 * Math.sin(i + 1));
    const grad = new Float64Array(data.cols);
    const batch = fullBatch(data);
    objective.loss(w, batch, grad);
    const h = 1e-6;
    for (let i = 0; i < data.cols; i++) {
      const plus = w.slice();
      const minus = w.slice();
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = (objective.loss(plus, batch) - objective.loss(minus, batch)) / (2 * h);
      expect(grad[i]).toBeCloseTo(numeric, 7);
    }
  });

  it('sweeps the rate exponentially, records the rate each step used, and stops when the loss explodes', async () => {
    const { objective, loader, zeros } = example(7);
    const result = await lastValueFrom(
      lrRangeTest(
        { objective, optimizer: testSgd(0.01), params: zeros, loader },
        { minLr: 1e-4, maxLr: 1e3, steps: 120 },
      ),
    );
    // lr_k = 1e-4 * (1e3 / 1e-4) ^ (k / 119) = 1e-4 * 10 ^ (7k / 119) = 1e-4 * 10 ^ (k / 17).
    result.learningRates.forEach((lr, k) => {
      expect(Math.abs(lr - 1e-4 * 10 ** (k / 17))).toBeLessThan(1e-12 * Math.max(1, lr));
    });
    expect(result.learningRates[0]).toBe(sweepRate({ minLr: 1e-4, maxLr: 1e3, steps: 120 }, 0));
    expect(result.stopReason).toBe('exploded');
    expect(result.learningRates.length).toBeLessThan(120);
    expect(result.losses).toHaveLength(result.learningRates.length);
    // Debiased EMA (weight 0.98) written out for the first two points: a1 = 0.02 l0, s0 = a1 / 0.02;
    // a2 = 0.98 a1 + 0.02 l1, s1 = a2 / (1 - 0.98^2).
    const [l0, l1] = result.losses as [number, number];
    expect(result.smoothedLosses[0]).toBeCloseTo(l0, 12);
    expect(result.smoothedLosses[1]).toBeCloseTo((0.98 * 0.02 * l0 + 0.02 * l1) / (1 - 0.98 ** 2), 12);
    expect(result.suggested).toBeGreaterThan(1e-4);
    expect(result.suggested).toBeLessThan(result.minimumLossRate);
  });

  it('suggests a rate that trains the example further in a fixed budget than 10x above or below it', async () => {
    // Five independently seeded data sets, not one lucky draw; budget: 32 SGD steps (2 epochs).
    for (const seed of [1, 2, 3, 4, 5]) {
      const { data, objective, loader, zeros } = example(seed);
      const { suggested } = await lastValueFrom(
        lrRangeTest(
          { objective, optimizer: testSgd(0.01), params: zeros, loader },
          { minLr: 1e-4, maxLr: 1e3, steps: 120 },
        ),
      );
      const atSuggested = lossAfter(data, suggested, 32);
      expect(atSuggested, `seed ${seed}`).toBeLessThan(lossAfter(data, suggested / 10, 32));
      expect(atSuggested, `seed ${seed}`).toBeLessThan(lossAfter(data, suggested * 10, 32));
    }
  });

  it('completes the sweep when the loss never explodes, and runs in sliced mode too', async () => {
    const { objective, loader, zeros } = example(3);
    const result = await lastValueFrom(
      lrRangeTest(
        { objective, optimizer: testSgd(0.01), params: zeros, loader, epochs: 1 },
        { minLr: 1e-3, maxLr: 1e-1, steps: 20 },
      ),
    );
    expect(result.stopReason).toBe('completed');
    expect(result.learningRates).toHaveLength(20);
    expect(result.learningRates[19]).toBeCloseTo(0.1, 12);
  });

  it('refuses an optimizer whose learning rate cannot be set, naming what it accepts', () => {
    const { objective, loader, zeros } = example(3);
    const fixed: Optimizer = { ...testSgd(0.1), settable: ['momentum'] };
    expect(() => lrRangeTest({ objective, optimizer: fixed, params: zeros, loader })).toThrow(
      'lrRangeTest: spec.optimizer must accept "learningRate" through the control path; its settable list is [momentum]',
    );
    expect(() =>
      lrRangeTest({ objective, optimizer: testSgd(0.1), params: zeros, loader }, { minLr: 1, maxLr: 0.5 }),
    ).toThrow('lrRangeTest: maxLr must be a finite number > 1, got 0.5');
  });
});
