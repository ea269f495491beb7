import type { Objective, UpdateContext, Vector } from '@downhill/core';

/**
 * An objective for a standalone minimiser run inside one `update`, as PyTorch runs an
 * optimizer's `step(closure)`: its first evaluation (at the step's parameters) is the one the run
 * loop made already, served from the step's gradient and loss; the others go through the run
 * loop's closure, `context.evaluate`, on the step's batch. Buffers are kept per parameter count.
 */
export interface ClosureObjective {
  readonly objective: Objective<void>;
  /** Arms the objective for one step: `gradient` and `context.loss` are the run loop's evaluation. */
  begin(gradient: Vector, context: UpdateContext): void;
  /** Disarms it (the closure is only valid during the update). */
  end(): void;
}

export function closureObjective(owner: string): ClosureObjective {
  let first = new Float64Array(0);
  let firstLoss = Number.NaN;
  let served = true;
  let context: UpdateContext | undefined;
  const objective: { dimension: number } & Objective<void> = {
    dimension: 0,
    loss(at, _batch, grad) {
      if (!served) {
        served = true;
        grad!.set(first);
        return firstLoss;
      }
      if (context?.evaluate === undefined) {
        throw new RangeError(
          `${owner}: needs the run loop's closure (context.evaluate): run it with train()`,
        );
      }
      return context.evaluate(at, grad!);
    },
  };
  return {
    objective,
    begin(gradient, ctx) {
      if (first.length !== gradient.length) {
        first = new Float64Array(gradient.length);
        objective.dimension = gradient.length;
      }
      first.set(gradient);
      firstLoss = ctx.loss;
      served = false;
      context = ctx;
    },
    end() {
      served = true;
      context = undefined;
    },
  };
}
