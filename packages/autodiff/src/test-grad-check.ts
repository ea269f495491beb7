import { createRng } from '@downhill/core';
import { expect } from 'vitest';
import { backward } from './backward.js';
import type { Shape } from './shape.js';
import { sizeOf } from './shape.js';
import { type Tensor, tensor } from './tensor.js';

/** One input of a gradient check: its shape and the interval its random values come from. */
export interface CheckInput {
  readonly shape: Shape;
  readonly low?: number;
  readonly high?: number;
  readonly values?: readonly number[];
}

/**
 * Compares the tape's gradient of L = sum_i w_i f(x)_i (random weights w, seeded through
 * `backward`'s seed, so no op under test builds L) with central finite differences of L computed
 * in plain arithmetic from forward values only: an oracle independent of every backward formula.
 */
export function checkGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly CheckInput[],
  options: { seed?: number; tolerance?: number } = {},
): void {
  const rng = createRng(options.seed ?? 7);
  const values = inputs.map((input) =>
    input.values !== undefined
      ? Float64Array.from(input.values)
      : Float64Array.from({ length: sizeOf(input.shape) }, () =>
          rng.uniform(input.low ?? -2, input.high ?? 2),
        ),
  );
  const leaves = values.map((v, j) => tensor(v.slice(), { shape: inputs[j]!.shape, requiresGrad: true }));
  const out = f(...leaves);
  const w = Float64Array.from({ length: out.size }, () => rng.uniform(-1, 1));
  backward(out, w);
  const lossAt = (vs: Float64Array[]): number => {
    const y = f(...vs.map((v, j) => tensor(v, { shape: inputs[j]!.shape })));
    let s = 0;
    for (let i = 0; i < y.size; i++) s += w[i]! * y.data[i]!;
    return s;
  };
  const tolerance = options.tolerance ?? 1e-6;
  values.forEach((v, j) => {
    const analytic = leaves[j]!.grad ?? new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x0 = v[i]!;
      const h = 1e-6 * Math.max(1, Math.abs(x0));
      v[i] = x0 + h;
      const up = lossAt(values);
      v[i] = x0 - h;
      const down = lossAt(values);
      v[i] = x0;
      const numeric = (up - down) / (2 * h);
      const error = Math.abs(analytic[i]! - numeric);
      if (!(error <= tolerance * (1 + Math.abs(numeric)))) {
        expect.fail(`input ${j} element ${i}: tape ${analytic[i]} vs finite differences ${numeric}`);
      }
    }
  });
}
