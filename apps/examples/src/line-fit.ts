/**
 * Fitting a line by gradient descent, as a stream pipeline.
 *
 * 100 points from y = 5x + 3 plus Gaussian noise (x uniform in [0, 10]); the model y = m x + b
 * starts from (m, b) = (-8, -8), as in the seed article, and batch gradient descent on the mean
 * squared error runs until the loss stops changing. The run is an RxJS Observable of events,
 * composed with Downhill's operators:
 *   - stopOnConvergence: end the run once the loss changes by less than 1e-10 for 10 steps;
 *   - smoothLoss: TensorBoard's debiased exponential moving average of the loss;
 *   - sampleSteps: keep every 50th step for the printed learning curve.
 *
 * Run it: pnpm --filter examples line-fit
 */
import { sparkline } from '@downhill/cli';
import {
  type EndEvent,
  type SmoothedStepEvent,
  sampleSteps,
  smoothLoss,
  stopOnConvergence,
  type TrainEvent,
  train,
} from '@downhill/core';
import { type Dataset, fullBatchLoader, noisyLine } from '@downhill/data';
import { linearRegression } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import { lastValueFrom, type Observable, type OperatorFunction, tap } from 'rxjs';
import { isMain } from './is-main.js';

/** One sampled point of the learning curve. */
export interface CurvePoint {
  readonly step: number;
  readonly loss: number;
  readonly smoothedLoss: number;
  readonly m: number;
  readonly b: number;
}

export interface LineFitOptions {
  /** `sliced` (default) yields to the event loop between time slices; `sync` runs inside subscribe. */
  readonly mode?: 'sliced' | 'sync';
  /** Keep every n-th step on the curve. Default 50. */
  readonly every?: number;
}

/** The data: 100 points from y = 5x + 3 with noise of standard deviation 1. */
export function linePoints(): Dataset {
  return noisyLine({ samples: 100, seed: 42, slope: 5, intercept: 3, noise: 1, xRange: [0, 10] });
}

/** The run's events, through the convergence stop, the smoothing and the sampling. */
export function lineFitEvents(options: LineFitOptions = {}): Observable<TrainEvent | SmoothedStepEvent> {
  const every = options.every ?? 50;
  return train({
    objective: linearRegression({ inputs: 1 }),
    // The surface's largest curvature is about 68 here: lr 0.02 is stable (below 2 / 68).
    optimizer: sgd({ learningRate: 0.02 }),
    params: [-8, -8],
    loader: fullBatchLoader(linePoints()),
    steps: 10_000,
    recordParams: every,
    mode: options.mode ?? 'sliced',
  }).pipe(
    stopOnConvergence({ epsilon: 1e-10, patience: 10 }),
    smoothLoss({ weight: 0.6 }),
    sampleSteps(every) as OperatorFunction<TrainEvent | SmoothedStepEvent, TrainEvent | SmoothedStepEvent>,
  );
}

/** Runs the pipeline: the sampled learning curve and the `end` event. */
export async function fitLine(options: LineFitOptions = {}): Promise<{ curve: CurvePoint[]; end: EndEvent }> {
  const curve: CurvePoint[] = [];
  const last = await lastValueFrom(
    lineFitEvents(options).pipe(
      tap((event) => {
        if (event.type === 'step' && 'smoothedLoss' in event && event.params) {
          const [m, b] = event.params as [number, number];
          curve.push({ step: event.step, loss: event.loss, smoothedLoss: event.smoothedLoss, m, b });
        }
      }),
    ),
  );
  if (last.type !== 'end') throw new Error(`the run ended without an end event (last: ${last.type})`);
  return { curve, end: last };
}

function fixed(value: number, width: number, digits = 4): string {
  return value.toFixed(digits).padStart(width);
}

function significant(value: number, width: number): string {
  return value.toPrecision(6).padStart(width);
}

if (isMain(import.meta.url)) {
  const { curve, end } = await fitLine();
  console.log('Fitting y = m x + b to 100 noisy points from y = 5x + 3, from (m, b) = (-8, -8)\n');
  console.log('  step        loss    smoothed         m         b');
  for (const p of curve) {
    console.log(
      `${String(p.step).padStart(6)} ${significant(p.loss, 11)} ${significant(p.smoothedLoss, 11)} ${fixed(p.m, 9)} ${fixed(p.b, 9)}`,
    );
  }
  console.log(
    `\nlearning curve (smoothed loss, linear scale): ${sparkline(
      curve.map((p) => p.smoothedLoss),
      60,
    )}`,
  );
  const [m, b] = end.params as [number, number];
  console.log(`${end.reason} after ${end.step} steps, loss ${end.loss.toFixed(6)}`);
  console.log(`recovered line: y = ${m.toFixed(3)} x + ${b.toFixed(3)} (generated from y = 5 x + 3)`);
}
