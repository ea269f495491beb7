// The run loop's closure: an optimizer may evaluate the objective again on the step's batch.
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { StepEvent } from './events.js';
import type { Optimizer, UpdateContext } from './optimizer.js';
import { leastSquares, rowLoader, sgd } from './test-fixtures.js';
import { train } from './train.js';

// Two batches of two rows: (1, 0.5) -> 4, (1, -1) -> -2, then (1, 2) -> 9, (1, 3.5) -> 13.5.
const loader = rowLoader(
  [
    [1, 0.5],
    [1, -1],
    [1, 2],
    [1, 3.5],
  ],
  [4, -2, 9, 13.5],
  2,
);

/** SGD that first evaluates the objective `calls` times at w = 0 and records what it got. */
function probing(calls: number) {
  const seen: { loss: number; grad: number[] }[] = [];
  let saved: UpdateContext['evaluate'];
  const inner = sgd(0.1);
  const optimizer: Optimizer<{ count: number }> = {
    ...inner,
    update(updates, state, params, context) {
      saved = context.evaluate;
      const grad = new Float64Array(2);
      for (let k = 0; k < calls; k++) {
        const loss = context.evaluate!(new Float64Array(2), grad);
        seen.push({ loss, grad: Array.from(grad) });
      }
      inner.update(updates, state, params, context);
    },
  };
  return { optimizer, seen, evaluate: () => saved };
}

const steps = async (optimizer: Optimizer<{ count: number }>, mode?: 'sync') => {
  const events = await lastValueFrom(
    train({
      objective: leastSquares(2),
      optimizer,
      params: [0.5, 0.5],
      loader,
      epochs: 1,
      ...(mode ? { mode } : {}),
    }).pipe(toArray()),
  );
  return events.filter((e): e is StepEvent => e.type === 'step');
};

describe('context.evaluate (the closure)', () => {
  it.each([['sync' as const], [undefined]])(
    'evaluates on the batch of the step being taken, and counts it in the step event (mode %s)',
    async (mode) => {
      const probe = probing(1);
      const events = await steps(probe.optimizer, mode);
      // At w = 0: loss = 1/(2n) sum y^2, gradient = -1/n sum y x.
      // Batch 1: (16 + 4) / 4 = 5, -((4 - 2), (2 + 2)) / 2 = (-1, -2).
      // Batch 2: (81 + 182.25) / 4 = 65.8125, -((9 + 13.5), (18 + 47.25)) / 2 = (-11.25, -32.625).
      expect(probe.seen).toEqual([
        { loss: 5, grad: [-1, -2] },
        { loss: 65.8125, grad: [-11.25, -32.625] },
      ]);
      expect(events.map((e) => e.evaluations)).toEqual([2, 2]);
    },
  );

  it('counts every call, and leaves the field out when the optimizer evaluates once', async () => {
    expect((await steps(probing(3).optimizer, 'sync')).map((e) => e.evaluations)).toEqual([4, 4]);
    const plain = await steps(sgd(0.1), 'sync');
    expect(plain).toHaveLength(2);
    for (const e of plain) expect('evaluations' in e).toBe(false);
  });

  it('is refused outside an update (it has no batch there)', async () => {
    const probe = probing(1);
    await steps(probe.optimizer, 'sync');
    expect(() => probe.evaluate()!(new Float64Array(2), new Float64Array(2))).toThrow(
      'train: context.evaluate is only available while an update is running',
    );
  });
});
