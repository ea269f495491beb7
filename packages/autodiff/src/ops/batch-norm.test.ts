import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backward } from '../backward.js';
import { tensor } from '../tensor.js';
import { checkGradients } from '../test-grad-check.js';
import { batchNorm } from './batch-norm.js';

interface Pass {
  x: number[];
  g: number[];
  y: number[];
  dx: number[];
  dweight: number[];
  dbias: number[];
  runningMean?: number[];
  runningVar?: number[];
}
interface OpCase {
  name: string;
  features: number;
  momentum: number;
  eps: number;
  weight: number[];
  bias: number[];
  shape: number[];
  train: Pass[];
  eval: Pass;
}

/** PyTorch 1.13 values from scripts/batch-norm-fixtures.py. */
const fixtures = JSON.parse(
  readFileSync(new URL('../../test-fixtures/batch-norm.json', import.meta.url), 'utf8'),
) as { ops: OpCase[] };

function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    if (!(error <= 1e-9 * (1 + Math.abs(expected[i]!))))
      expect.fail(`${what}[${i}]: ${actual[i]} vs PyTorch ${expected[i]}`);
  }
}

describe('batchNorm against PyTorch 1.13 (float64)', () => {
  for (const c of fixtures.ops) {
    it(`${c.name}: training steps, running statistics, evaluation`, () => {
      const runningMean = new Float64Array(c.features);
      const runningVar = new Float64Array(c.features).fill(1);
      const pass = (p: Pass, training: boolean, label: string) => {
        const x = tensor(p.x, { shape: c.shape, requiresGrad: true });
        const weight = tensor(c.weight, { requiresGrad: true });
        const bias = tensor(c.bias, { requiresGrad: true });
        const y = batchNorm(x, {
          training,
          weight,
          bias,
          runningMean,
          runningVar,
          momentum: c.momentum,
          eps: c.eps,
        });
        expectClose(y.data, p.y, `${label} y`);
        backward(y, p.g);
        expectClose(x.grad!, p.dx, `${label} dx`);
        expectClose(weight.grad!, p.dweight, `${label} dweight`);
        expectClose(bias.grad!, p.dbias, `${label} dbias`);
      };
      c.train.forEach((p, step) => {
        pass(p, true, `train step ${step}`);
        expectClose(runningMean, p.runningMean!, `step ${step} running mean`);
        expectClose(runningVar, p.runningVar!, `step ${step} running var (unbiased)`);
      });
      const before = [...runningMean, ...runningVar];
      pass(c.eval, false, 'eval');
      expect([...runningMean, ...runningVar]).toEqual(before);
    });
  }

  it('agrees with central finite differences without weight and bias, and without running statistics', () => {
    checkGradients((x) => batchNorm(x, { training: true }), [{ shape: [5, 3, 2] }]);
    checkGradients(
      (x, w, b) => batchNorm(x, { training: true, weight: w, bias: b }),
      [{ shape: [4, 2] }, { shape: [2] }, { shape: [2] }],
    );
  });

  it('names what is wrong with the call', () => {
    const x = tensor([1, 2, 3, 4], { shape: [2, 2] });
    expect(() => batchNorm(tensor([1, 2]), { training: true })).toThrow(
      /input must be \[n, channels, \.\.\.\]/,
    );
    expect(() => batchNorm(x, { training: false })).toThrow(/evaluation needs runningMean and runningVar/);
    expect(() => batchNorm(x, { training: true, weight: tensor([1, 2, 3]) })).toThrow(
      /weight has 3 elements, the input has 2 channels/,
    );
    expect(() => batchNorm(tensor([1, 2], { shape: [1, 2] }), { training: true })).toThrow(
      /more than one value per channel/,
    );
    expect(() => batchNorm(x, { training: true, momentum: 2 })).toThrow(/momentum must be in \[0, 1\]/);
  });
});
