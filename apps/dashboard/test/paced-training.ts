// A small real training run for the end-to-end test: a 2-parameter valley with a noisy per-batch
// tilt, SGD with momentum written as one gradient transformation, and an async loader that paces
// the run at about `stepsPerSecond` (so the dashboard watches it grow rather than finish at once).
import type { Loader, Objective, Optimizer, RunCommand, TrainEvent } from '@downhill/core';
import { train } from '@downhill/core';
import type { Observable } from 'rxjs';

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

/** The valley's loss (no tilt) on a 41 x 41 grid, in `@downhill/models`' slice layout. */
function valleyLandscape(): { xs: number[]; ys: number[]; values: number[] } {
  const xs = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1);
  const ys = Array.from({ length: 41 }, (_, j) => -1 + j * 0.1);
  const values = ys.flatMap((b) => xs.map((a) => (1 - a) ** 2 + 5 * (b - a * a) ** 2));
  return { xs, ys, values };
}

function pacedLoader(stepsPerSecond: number): Loader<number> {
  const perTick = Math.max(1, Math.round(stepsPerSecond / 100));
  return {
    batchesPerEpoch: 100,
    samples: 100,
    batchSize: 1,
    async *epoch(epoch) {
      let state = (epoch * 104_729 + 17) >>> 0;
      for (let i = 0; i < 100; i++) {
        if (i % perTick === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        state = (state * 1_664_525 + 1_013_904_223) >>> 0;
        yield ((state / 2 ** 32) * 2 - 1) * 0.4;
      }
    },
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

export function pacedTraining(options: {
  readonly runId: string;
  readonly name: string;
  readonly learningRate: number;
  readonly stepsPerSecond?: number;
  readonly epochs?: number;
  /** Put the valley's loss surface into the start config (`config.extra.landscape`). */
  readonly landscape?: boolean;
  /** The run's seed (recorded in its config; the valley's data does not depend on it). */
  readonly seed?: number;
}): (control: Observable<RunCommand>) => Observable<TrainEvent> {
  return (control) =>
    train<number>({
      objective: valley,
      optimizer: momentumSgd(options.learningRate, 0.5),
      params: [-1.2, 1],
      loader: pacedLoader(options.stepsPerSecond ?? 300),
      validation: { batchesPerEpoch: 1, samples: 1, batchSize: 1, epoch: () => [0] },
      epochs: options.epochs ?? 100_000,
      runId: options.runId,
      config: { name: options.name, ...(options.landscape ? { landscape: valleyLandscape() } : {}) },
      recordParams: 5,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      control,
    });
}
