// What a schedule costs per step, and what a feedback controller costs a live run.
// 1. Evaluating schedules over a long run against the same closed form written inline.
// 2. train() alone against train() with reduceOnPlateau and with the LR sweep (which sends a
//    `set` command, and so makes a `hyperparam` event, every step).
import { compare, machineInfo, report } from '@downhill/bench-harness';
import { type Objective, type Optimizer, train } from '@downhill/core';
import {
  cosineAnnealing,
  cosineWarmRestarts,
  linear,
  lrSweep,
  oneCycle,
  reduceOnPlateau,
  sequence,
} from '../src/index.js';

console.log(machineInfo());

const evaluations = 100_000;
// Steps spread over a million-step run, so SGDR walks through all of its cycles.
const stride = 10;
let sink = 0;
const cosine = cosineAnnealing({ initial: 0.1, minimum: 0.001, period: evaluations * stride });
const sgdr = cosineWarmRestarts({ initial: 0.1, minimum: 0.001, period: 10, periodMultiplier: 2 });
const cycle = oneCycle({ max: 0.1, totalSteps: evaluations * stride }).learningRate;
const warmCosine = sequence([
  { schedule: linear({ initial: 0, end: 0.1, transitionSteps: 1000 }), steps: 1000 },
  { schedule: cosine },
]);
const loop = (f: (step: number) => number) => () => {
  for (let i = 0; i < evaluations; i++) sink += f(i * stride);
};
const inlineCosine = (t: number) =>
  0.001 + (0.099 * (1 + Math.cos((Math.PI * t) / (evaluations * stride)))) / 2;
report(
  `schedule evaluation (${evaluations} steps over a ${evaluations * stride}-step run, ns per step)`,
  await compare({
    'inline cosine formula': { ops: evaluations, run: loop(inlineCosine) },
    cosineAnnealing: { ops: evaluations, run: loop(cosine) },
    'cosineWarmRestarts (T_mult 2)': { ops: evaluations, run: loop(sgdr) },
    'oneCycle learning rate': { ops: evaluations, run: loop(cycle) },
    'sequence(warm-up, cosine)': { ops: evaluations, run: loop(warmCosine) },
  }),
  { baseline: 'inline cosine formula', unit: 'step' },
);

const dimension = 10;
const bowl: Objective<void> = {
  dimension,
  loss(w, _batch, grad) {
    let f = 0;
    for (let i = 0; i < w.length; i++) {
      f += w[i]! * w[i]!;
      if (grad) grad[i] = 2 * w[i]!;
    }
    return f;
  },
};
const sgd: Optimizer<null> = {
  name: 'sgd',
  settable: ['learningRate'],
  init: () => null,
  update(updates, _state, _params, ctx) {
    const lr = ctx.overrides.learningRate ?? 1e-4;
    ctx.current.learningRate = lr;
    for (let i = 0; i < updates.length; i++) updates[i] = -lr * updates[i]!;
  },
  describe: () => ({ name: 'sgd' }),
};
const steps = 2000;
const start = new Float64Array(dimension).fill(1);
const run = (controllers: Parameters<typeof train>[0]['controllers']) => () => {
  train({ objective: bowl, optimizer: sgd, params: start, steps, mode: 'sync', controllers }).subscribe();
};
report(
  `feedback controllers in a live run (${steps} steps, ${dimension} parameters, sync, ns per step)`,
  await compare({
    'train() alone': { ops: steps, run: run([]) },
    'train() + reduceOnPlateau': { ops: steps, run: run([reduceOnPlateau({ monitor: 'loss' })]) },
    'train() + lrSweep (a set command per step)': {
      ops: steps,
      run: run([lrSweep({ minLr: 1e-6, maxLr: 1e-4, steps, divergeFactor: 1e9 })]),
    },
  }),
  { baseline: 'train() alone', unit: 'step' },
);
if (sink === 42) console.log(sink);
