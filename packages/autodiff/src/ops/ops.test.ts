import { describe, expect, it } from 'vitest';
import { backward } from '../backward.js';
import { tensor } from '../tensor.js';
import { checkGradients } from '../test-grad-check.js';
import { add, div, maximum, minimum, mul, pow, sub } from './binary.js';
import { cast } from './cast.js';
import { concat } from './concat.js';
import { gather } from './gather.js';
import { matmul } from './matmul.js';
import { max, mean, sum } from './reduce.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { logSoftmax, logsumexp, softmax } from './softmax.js';
import { transpose } from './transpose.js';
import {
  abs,
  clamp,
  exp,
  gelu,
  leakyRelu,
  log,
  log1p,
  neg,
  relu,
  sigmoid,
  softplus,
  sqrt,
  tanh,
} from './unary.js';
import { where } from './where.js';

const unaryCases = [
  ['neg', neg, -2, 2],
  ['exp', exp, -2, 2],
  ['log', log, 0.3, 3],
  ['log1p', log1p, -0.5, 3],
  ['sqrt', sqrt, 0.3, 3],
  ['abs', abs, -2, 2],
  ['tanh', tanh, -2, 2],
  ['sigmoid', sigmoid, -6, 6],
  ['relu', relu, -2, 2],
  ['leakyRelu', (x: Parameters<typeof relu>[0]) => leakyRelu(x, { slope: 0.2 }), -2, 2],
  ['gelu', gelu, -3, 3],
  ['softplus', softplus, -6, 6],
  ['clamp', (x: Parameters<typeof relu>[0]) => clamp(x, { min: -0.5, max: 1 }), -2, 2],
] as const;

describe('element-wise ops: gradients against finite differences', () => {
  for (const [name, op, low, high] of unaryCases) {
    it(name, () => {
      checkGradients(op, [{ shape: [3, 4], low, high }]);
      checkGradients(op, [{ shape: [], low, high }], { seed: 3 });
    });
  }

  const broadcastCases = [
    [
      [2, 3],
      [2, 3],
    ],
    [
      [3, 1],
      [1, 4],
    ],
    [[2, 3], [3]],
    [[], [2, 3]],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[0, 3], [3]],
  ] as const;
  const binaryCases = [
    ['add', add, -2, 2],
    ['sub', sub, -2, 2],
    ['mul', mul, -2, 2],
    ['div', div, 0.5, 2],
    ['pow', pow, 0.5, 2],
    ['maximum', maximum, -2, 2],
    ['minimum', minimum, -2, 2],
  ] as const;
  for (const [name, op, low, high] of binaryCases) {
    it(`${name} with broadcasting`, () => {
      for (const [a, b] of broadcastCases) {
        checkGradients(op, [
          { shape: a, low, high },
          { shape: b, low, high },
        ]);
        checkGradients(op, [
          { shape: b, low, high },
          { shape: a, low, high },
        ]);
      }
    });
  }

  it('where picks per element and sends the gradient to the chosen input only', () => {
    const condition = tensor([1, 0, 0, 1, 1, 0], { shape: [2, 3] });
    checkGradients((a, b) => where(condition, a!, b!), [{ shape: [2, 3] }, { shape: [3] }]);
    checkGradients(
      (a, b) => where(tensor([0, 1], { shape: [2, 1] }), a!, b!),
      [{ shape: [1, 3] }, { shape: [] }],
    );
    expect(where(condition, 1, tensor([5, 6, 7])).toArray()).toEqual([
      [1, 6, 7],
      [1, 1, 7],
    ]);
  });

  it('values: the published formulas', () => {
    expect(sigmoid(tensor([-800, 0, 800])).toArray()).toEqual([0, 0.5, 1]);
    expect(softplus(tensor([-800, 0, 800])).toArray()).toEqual([0, Math.LN2, 800]);
    expect(gelu(tensor([1])).item()).toBeCloseTo(0.8411919906, 9);
    expect(pow(tensor([2, 3]), 3).toArray()).toEqual([8, 27]);
    expect(clamp(tensor([-3, 0.25, 3]), { min: -1, max: 1 }).toArray()).toEqual([-1, 0.25, 1]);
  });

  it('kinks take the subgradient PyTorch takes', () => {
    const x = tensor([0, 0, 1], { requiresGrad: true });
    backward(sum(add(relu(x), abs(x))));
    expect([...x.grad!]).toEqual([0, 0, 2]);
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([1, 3], { requiresGrad: true });
    backward(sum(add(maximum(a, b), minimum(a, b))));
    expect([...a.grad!]).toEqual([1, 1]);
    expect([...b.grad!]).toEqual([1, 1]);
    const c = tensor([-1, 1, 2], { requiresGrad: true });
    backward(sum(clamp(c, { min: -1, max: 1 })));
    expect([...c.grad!]).toEqual([1, 1, 0]);
  });

  it('refuses shapes that do not broadcast, naming both', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(
      /add: shapes \[3\] and \[2\] do not broadcast/,
    );
  });
});

describe('reductions', () => {
  const axesCases = [undefined, 0, 1, -1, [0, 2], [1, 2]] as const;
  for (const [name, op] of [
    ['sum', sum],
    ['mean', mean],
    ['max', max],
    ['logsumexp', logsumexp],
  ] as const) {
    it(`${name} over axes, with and without keepDims`, () => {
      for (const axis of axesCases) {
        checkGradients((x) => op(x!, { axis }), [{ shape: [2, 3, 4] }]);
        checkGradients((x) => op(x!, { axis, keepDims: true }), [{ shape: [2, 3, 4] }]);
      }
    });
  }

  it('values and shapes', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    expect(sum(x, { axis: 0 }).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, { axis: 1, keepDims: true }).shape).toEqual([2, 1]);
    expect(mean(x).item()).toBe(3.5);
    expect(max(x, { axis: 1 }).toArray()).toEqual([3, 6]);
    expect(logsumexp(tensor([1000, 1000])).item()).toBeCloseTo(1000 + Math.LN2, 10);
    const lse = logsumexp(x, { axis: 1 }).toArray() as number[];
    expect(lse[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 12);
    expect(lse[1]).toBeCloseTo(Math.log(Math.exp(4) + Math.exp(5) + Math.exp(6)), 12);
  });

  it('softmax and logSoftmax along an axis', () => {
    for (const axis of [0, 1, -1]) {
      checkGradients((x) => softmax(x!, { axis }), [{ shape: [3, 4] }]);
      checkGradients((x) => logSoftmax(x!, { axis }), [{ shape: [3, 4] }]);
    }
    const p = softmax(tensor([1, 2, 3])).toArray() as number[];
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    for (const [i, v] of p.entries()) expect(v).toBeCloseTo(Math.exp(i + 1) / z, 15);
    const lp = logSoftmax(tensor([1000, 0])).toArray() as number[];
    expect(lp[0]).toBeCloseTo(0, 12);
    expect(lp[1]).toBeCloseTo(-1000, 9);
  });
});

describe('matmul', () => {
  it('matches a triple loop and its gradients match finite differences', () => {
    const a = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    const b = tensor([7, 8, 9, 10, 11, 12], { shape: [3, 2] });
    expect(matmul(a, b).toArray()).toEqual([
      [1 * 7 + 2 * 9 + 3 * 11, 1 * 8 + 2 * 10 + 3 * 12],
      [4 * 7 + 5 * 9 + 6 * 11, 4 * 8 + 5 * 10 + 6 * 12],
    ]);
    const cases = [
      [
        [2, 3],
        [3, 4],
      ],
      [
        [4, 2, 3],
        [4, 3, 5],
      ],
      [
        [4, 2, 3],
        [3, 5],
      ],
      [
        [2, 3],
        [2, 3, 5],
      ],
      [
        [2, 1, 2, 3],
        [3, 3, 2],
      ],
      [[3], [3, 2]],
      [[2, 3], [3]],
      [[3], [3]],
      [
        [0, 3],
        [3, 2],
      ],
    ] as const;
    for (const [sa, sb] of cases) checkGradients((x, y) => matmul(x!, y!), [{ shape: sa }, { shape: sb }]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).shape).toEqual([]);
    expect(matmul(tensor([1, 2]), tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2, 1] })).shape).toEqual([3, 1]);
  });

  it('reads either operand transposed without a copy', () => {
    const cases = [
      [[3, 2], [3, 4], true, false],
      [[2, 3], [4, 3], false, true],
      [[3, 2], [4, 3], true, true],
      [[5, 3, 2], [4, 3], true, true],
      [[2, 3], [5, 4, 3], false, true],
    ] as const;
    for (const [sa, sb, transposeA, transposeB] of cases) {
      checkGradients((x, y) => matmul(x!, y!, { transposeA, transposeB }), [{ shape: sa }, { shape: sb }]);
    }
    const a = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    expect(matmul(a, a, { transposeB: true }).toArray()).toEqual([
      [14, 32],
      [32, 77],
    ]);
    expect(matmul(a, a, { transposeA: true }).toArray()).toEqual(matmul(transpose(a), a).toArray());
  });

  it('computes float32 operands in float32 and promotes mixed types', () => {
    const a = tensor([1, 2, 3, 4], { shape: [2, 2], dtype: 'float32' });
    expect(matmul(a, a).dtype).toBe('float32');
    expect(matmul(a, tensor([1, 0, 0, 1], { shape: [2, 2] })).dtype).toBe('float64');
  });

  it('refuses inner extents that differ', () => {
    expect(() =>
      matmul(tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] }), tensor([1, 2], { shape: [2, 1] })),
    ).toThrow(/matmul: inner extents differ: \[2, 3\] @ \[2, 1\]/);
  });
});

describe('shape ops', () => {
  it('reshape is a view with a pass-through gradient', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    expect(reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(reshape(x, [6]).data).toBe(x.data);
    checkGradients(
      (t) => mul(reshape(t!, [3, 2]), tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] })),
      [{ shape: [2, 3] }],
    );
    expect(() => reshape(x, [4, 2])).toThrow(/reshape: cannot view 6 elements/);
  });

  it('transpose permutes axes', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    expect(transpose(x).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    checkGradients((t) => transpose(t!, [2, 0, 1]), [{ shape: [2, 3, 4] }]);
    checkGradients((t) => transpose(t!), [{ shape: [2, 3, 4] }]);
  });

  it('slice takes ranges, negative ends count from the end', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    expect(
      slice(x, [
        [0, 2],
        [1, -1],
      ]).toArray(),
    ).toEqual([[2], [5]]);
    checkGradients(
      (t) =>
        slice(t!, [
          [1, 3],
          [0, 2],
        ]),
      [{ shape: [3, 4, 2] }],
    );
    expect(() => slice(x, [[1, 3]])).toThrow(/slice: range \[1, 3\) does not fit axis 0/);
  });

  it('concat joins along an axis', () => {
    const a = tensor([1, 2], { shape: [1, 2] });
    const b = tensor([3, 4, 5, 6], { shape: [2, 2] });
    expect(concat([a, b]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    checkGradients((x, y) => concat([x!, y!], { axis: 1 }), [{ shape: [2, 3] }, { shape: [2, 1] }]);
    checkGradients((x, y) => concat([x!, y!, x!], { axis: 0 }), [{ shape: [1, 3] }, { shape: [2, 3] }]);
  });

  it('gather picks rows and sums the gradients of repeated rows', () => {
    checkGradients((t) => gather(t!, [2, 0, 2, 1]), [{ shape: [3, 2] }]);
    const table = tensor([1, 2, 3, 4], { shape: [2, 2], requiresGrad: true });
    backward(sum(gather(table, [1, 1, 0])));
    expect([...table.grad!]).toEqual([1, 1, 2, 2]);
    expect(() => gather(table, [2])).toThrow(/gather: indices\[0\] = 2 is not a row of a table with 2 rows/);
  });

  it('cast rounds to float32 and passes gradients', () => {
    const x = tensor([0.5, 0.25], { requiresGrad: true });
    backward(cast(mul(cast(x, 'float32'), 3), 'float64'), [1, 2]);
    expect([...x.grad!]).toEqual([3, 6]);
    expect(cast(tensor([0.1]), 'float32').data[0]).toBe(Math.fround(0.1));
  });
});

describe('the tape', () => {
  it('accumulates a tensor used twice and leaves constants without gradients', () => {
    const x = tensor([3], { requiresGrad: true });
    const c = tensor([2]);
    const y = add(mul(x, x), mul(c, x));
    backward(y);
    expect([...x.grad!]).toEqual([2 * 3 + 2]);
    expect(c.grad).toBeUndefined();
    expect(y.requiresGrad).toBe(true);
    expect(mul(c, c).requiresGrad).toBe(false);
  });

  it('survives a deep chain without overflowing the stack', () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20_000; i++) y = add(y, 0);
    backward(y);
    expect([...x.grad!]).toEqual([1]);
  });

  it('asks for a seed for a non-scalar root', () => {
    expect(() => backward(neg(tensor([1, 2], { requiresGrad: true })))).toThrow(/give a seed gradient/);
  });

  it('sub and div are checked through a composed expression', () => {
    checkGradients((a, b) => div(sub(a!, b!), add(mul(b!, b!), 1)), [{ shape: [2, 2] }, { shape: [2] }]);
  });
});
