// Every schedule describes itself as plain data and samples into finite arrays.
import { type StartEvent, train } from '@downhill/core';
import { describe, expect, it } from 'vitest';
import {
  chain,
  clamp,
  constant,
  cosineAnnealing,
  cosineDecay,
  cosineWarmRestarts,
  cyclic,
  exponentialDecay,
  inverseTimeDecay,
  join,
  linear,
  multiply,
  multiStep,
  oneCycle,
  polynomialDecay,
  sampleSchedule,
  sequence,
  stepDecay,
  swa,
  warmup,
  warmupCosineDecay,
} from './index.js';
import { testSgd } from './test-sgd.js';

const cos = cosineAnnealing({ initial: 0.1, period: 50 });
const all = {
  constant: constant(0.1),
  stepDecay: stepDecay({ initial: 0.1, stepSize: 10 }),
  multiStep: multiStep({ initial: 0.1, milestones: [10, 20] }),
  exponentialDecay: exponentialDecay({ initial: 0.1, gamma: 0.99 }),
  inverseTimeDecay: inverseTimeDecay({ initial: 0.1, decayRate: 0.1 }),
  polynomialDecay: polynomialDecay({ initial: 0.1, transitionSteps: 50 }),
  linear: linear({ initial: 0, end: 0.1, transitionSteps: 10 }),
  cosineAnnealing: cos,
  cosineDecay: cosineDecay({ initial: 0.1, decaySteps: 50 }),
  cosineWarmRestarts: cosineWarmRestarts({ initial: 0.1, period: 10, periodMultiplier: 2 }),
  cyclic: cyclic({ base: 0.01, max: 0.1, stepSizeUp: 5 }).learningRate,
  cyclicMomentum: cyclic({ base: 0.01, max: 0.1, stepSizeUp: 5 }).momentum,
  oneCycle: oneCycle({ max: 0.1, totalSteps: 100 }).learningRate,
  oneCycleMomentum: oneCycle({ max: 0.1, totalSteps: 100 }).momentum,
  warmupCosineDecay: warmupCosineDecay({ peak: 0.1, warmupSteps: 10, decaySteps: 100 }),
  swa: swa({ initial: 0.1, swaRate: 0.01 }),
  join: join({ schedules: [cos, 0.01], boundaries: [50] }),
  sequence: sequence([{ schedule: cos, steps: 50 }, { schedule: 0.01 }]),
  multiply: multiply(cos, 0.5),
  chain: chain(cos, exponentialDecay({ initial: 0.1, gamma: 0.99 })),
  clamp: clamp(cos, { min: 0.01 }),
  warmup: warmup(cos, { steps: 5 }),
};

describe('every schedule', () => {
  it.each(Object.entries(all))(
    '%s describes itself as JSON-safe data and samples to finite values',
    (name, s) => {
      const d = s.description;
      expect(d?.name).toBe(name === 'sequence' ? 'join' : name);
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      const { values } = sampleSchedule(s, { count: 200 });
      expect(values.every(Number.isFinite)).toBe(true);
    },
  );

  it("reaches a run's start event through spec.config", () => {
    const schedule = all.warmupCosineDecay;
    let start: StartEvent | undefined;
    train({
      objective: { dimension: 1, loss: (w, _b, g) => (g && (g[0] = 2 * w[0]!), w[0]! ** 2) },
      optimizer: testSgd(schedule),
      params: [1],
      steps: 3,
      mode: 'sync',
      config: { schedule: schedule.description },
    }).subscribe((e) => {
      if (e.type === 'start') start = e;
    });
    expect(start?.config.extra.schedule).toEqual({
      name: 'warmupCosineDecay',
      initial: 0,
      peak: 0.1,
      warmupSteps: 10,
      decaySteps: 100,
      end: 0,
      exponent: 1,
    });
  });
});
