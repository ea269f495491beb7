// Runs trained in the page itself with core's train(): a 2-parameter Rosenbrock-like valley fed
// by an async loader that paces the run (about `stepsPerSecond` steps a second), and SGD with
// momentum written here as one gradient transformation (the dashboard does not depend on
// @downhill/optimizers). Tests use it to watch live runs without a server.
import type { Loader, Objective, Optimizer, RunCommand, TrainEvent } from '@downhill/core';
import { train } from '@downhill/core';
import { type Observable, Subject } from 'rxjs';

/** f(a, b) = (1 - a)^2 + 5 (b - a^2)^2 plus a per-batch tilt, so the loss is noisy like SGD's. */
export function valleyLoss(a: number, b: number): number {
  return (1 - a) ** 2 + 5 * (b - a * a) ** 2;
}

const valley: Objective<number> = {
  dimension: 2,
  loss(params, tilt, grad) {
    const a = params[0]!;
    const b = params[1]!;
    const r = b - a * a;
    if (grad) {
      grad[0] = -2 * (1 - a) - 20 * a * r + tilt;
      grad[1] = 10 * r + tilt;
    }
    return (1 - a) ** 2 + 5 * r * r + tilt * (a + b) + 0.05 * Math.abs(tilt);
  },
  describe: () => ({ name: 'valley' }),
};

function pacedLoader(stepsPerSecond: number, batchesPerEpoch: number, seed: number): Loader<number> {
  const perTick = Math.max(1, Math.round(stepsPerSecond / 100));
  return {
    batchesPerEpoch,
    samples: batchesPerEpoch,
    batchSize: 1,
    async *epoch(epoch) {
      let state = (seed * 7919 + epoch * 104_729) >>> 0;
      for (let i = 0; i < batchesPerEpoch; i++) {
        if (i % perTick === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        state = (state * 1_664_525 + 1_013_904_223) >>> 0;
        yield ((state / 2 ** 32) * 2 - 1) * 0.4;
      }
    },
    describe: () => ({ name: 'paced', stepsPerSecond }),
  };
}

function momentumSgd(learningRate: number, momentum: number): Optimizer<{ velocity: Float64Array }> {
  return {
    name: 'sgd',
    settable: ['learningRate', 'momentum'],
    init: (params) => ({ velocity: new Float64Array(params.length) }),
    update(updates, state, _params, ctx) {
      const lr = ctx.overrides.learningRate ?? learningRate;
      const mu = ctx.overrides.momentum ?? momentum;
      ctx.current.learningRate = lr;
      ctx.current.momentum = mu;
      for (let i = 0; i < updates.length; i++) {
        state.velocity[i] = mu * state.velocity[i]! + updates[i]!;
        updates[i] = -lr * state.velocity[i]!;
      }
    },
    describe: () => ({ name: 'sgd', learningRate, momentum }),
  };
}

export interface PacedRun {
  readonly runId: string;
  readonly events: Observable<TrainEvent>;
  readonly control: Subject<RunCommand>;
}

export function pacedRun(options: {
  readonly runId: string;
  readonly name: string;
  readonly learningRate: number;
  readonly momentum?: number;
  readonly stepsPerSecond?: number;
  readonly epochs?: number;
  readonly start?: readonly [number, number];
}): PacedRun {
  const control = new Subject<RunCommand>();
  const events = train<number>({
    objective: valley,
    optimizer: momentumSgd(options.learningRate, options.momentum ?? 0.5),
    params: options.start ?? [-1.2, 1],
    loader: pacedLoader(options.stepsPerSecond ?? 400, 200, options.learningRate * 1e6),
    validation: {
      batchesPerEpoch: 1,
      samples: 1,
      batchSize: 1,
      epoch: () => [0],
    },
    epochs: options.epochs ?? 1000,
    runId: options.runId,
    config: { name: options.name },
    control,
    recordParams: true,
  });
  return { runId: options.runId, events, control };
}

/** The same run, trained synchronously to the end: a finished history as an array. */
export function finishedRun(options: { readonly runId: string; readonly steps: number }): TrainEvent[] {
  const events: TrainEvent[] = [];
  train<number>({
    objective: valley,
    optimizer: momentumSgd(0.01, 0.5),
    params: [-1.2, 1],
    loader: {
      batchesPerEpoch: 100,
      samples: 100,
      batchSize: 1,
      *epoch(epoch) {
        for (let i = 0; i < 100; i++) yield Math.sin(epoch * 100 + i) * 0.8;
      },
    },
    steps: options.steps,
    epochs: Math.ceil(options.steps / 100),
    runId: options.runId,
    config: { name: options.runId },
    mode: 'sync',
  }).subscribe((event) => events.push(event));
  return events;
}
