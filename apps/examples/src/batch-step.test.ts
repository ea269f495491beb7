import { type EndEvent, type StepEvent, train } from '@downhill/core';
import { fromArrays, fullBatchLoader } from '@downhill/data';
import { linearRegression } from '@downhill/models';
import { sgd } from '@downhill/optimizers';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';

// The packages together (data -> model -> optimizer -> run loop) against one step worked by hand.
// Points (1, 2), (2, 3), (4, 9); model y = m x + b from (m, b) = (0, 0); MSE = 1/n sum (pred - y)^2.
//   loss0 = (4 + 9 + 81) / 3 = 94 / 3
//   dL/dm = 2/n sum (pred - y) x = 2/3 * (-2*1 - 3*2 - 9*4) = 2/3 * (-44) = -88 / 3
//   dL/db = 2/n sum (pred - y)   = 2/3 * (-2 - 3 - 9)      = -28 / 3
// One SGD step at lr 0.01: (m, b) = (0.88 / 3, 0.28 / 3).
describe('batch gradient descent on mean squared error', () => {
  it('matches the hand-computed first step to 1e-12', async () => {
    const data = fromArrays({ x: [[1], [2], [4]], y: [2, 3, 9] });
    const events = await lastValueFrom(
      train({
        objective: linearRegression({ inputs: 1 }),
        optimizer: sgd({ learningRate: 0.01 }),
        params: [0, 0],
        loader: fullBatchLoader(data),
        steps: 1,
        mode: 'sync',
      }).pipe(toArray()),
    );
    const step = events.find((e): e is StepEvent => e.type === 'step')!;
    const end = events.at(-1) as EndEvent;
    expect(Math.abs(step.loss - 94 / 3)).toBeLessThan(1e-12);
    expect(Math.abs(step.gradNorm - Math.hypot(88 / 3, 28 / 3))).toBeLessThan(1e-12);
    expect(step.learningRate).toBe(0.01);
    expect(Math.abs(end.params[0]! - 0.88 / 3)).toBeLessThan(1e-12);
    expect(Math.abs(end.params[1]! - 0.28 / 3)).toBeLessThan(1e-12);
  });
});
