import {
  type Batch,
  createRng,
  jsKernelSet,
  type KernelSet,
  matrix,
  type TrainEvent,
  train,
} from '@downhill/core';
import { mlp } from '@downhill/models';
import { adam } from '@downhill/optimizers';
import { describe, expect, it } from 'vitest';
import { hingeLoss, huberLoss, softmaxCrossEntropyLoss } from '../losses/losses.js';
import {
  batchNorm,
  dense,
  dropout,
  layerNorm,
  moduleObjective,
  relu,
  sequential,
  tanh,
} from '../nn/index.js';
import { add, div, maximum, minimum, mul, pow } from '../ops/binary.js';
import { concat } from '../ops/concat.js';
import { conv2d } from '../ops/conv2d.js';
import { gather } from '../ops/gather.js';
import { matmul } from '../ops/matmul.js';
import { avgPool2d, maxPool2d } from '../ops/pool2d.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import { logsumexp } from '../ops/softmax.js';
import { abs, exp, gelu, neg, sigmoid, sqrt } from '../ops/unary.js';
import { fromMatrix, recordTensors, type Tensor, tensor } from '../tensor.js';
import { autodiffObjective } from './autodiff-objective.js';

function batchOf(rng: ReturnType<typeof createRng>, rows: number, inputs: number, classes: number): Batch {
  const x = Float64Array.from({ length: rows * inputs }, () => rng.normal(0, 1));
  const y = Float64Array.from({ length: rows }, () => rng.int(classes));
  return { x: matrix(x, rows, inputs), y: matrix(y, rows, 1) };
}

const bits = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer);

describe('compiled steps', () => {
  it('replay the traced plan with the same numbers as eager mode, bit for bit, across batches, a smaller last batch and evaluation', () => {
    const model = () => sequential(dense(7, 12), relu(), dense(12, 12), tanh(), layerNorm(12), dense(12, 4));
    const eager = moduleObjective({ model: model(), loss: softmaxCrossEntropyLoss });
    const compiled = moduleObjective({ model: model(), loss: softmaxCrossEntropyLoss, compile: true });
    const rng = createRng(2);
    const params = eager.initialize(createRng(1));
    const g1 = new Float64Array(eager.dimension);
    const g2 = new Float64Array(eager.dimension);
    for (let step = 0; step < 6; step++) {
      const batch = batchOf(rng, step === 5 ? 3 : 16, 7, 4);
      const l1 = eager.loss(params, batch, g1);
      const l2 = compiled.loss(params, batch, g2);
      expect(bits([l2])).toEqual(bits([l1]));
      expect(bits(g2)).toEqual(bits(g1));
      expect(bits([compiled.loss(params, batch)])).toEqual(bits([eager.loss(params, batch)]));
      for (let i = 0; i < params.length; i++) params[i]! -= 0.05 * g1[i]!;
    }
    // A replayed step builds no tape: it makes no tensor at all.
    const made: Tensor[] = [];
    recordTensors(made, () => compiled.loss(params, batchOf(rng, 16, 7, 4), g2));
    expect(made).toEqual([]);
    expect(compiled.describe().compiled).toBe(true);
  });

  it('the autodiff MLP compiled has the hand-written MLP gradient to 1e-12', () => {
    const objective = moduleObjective({
      model: sequential(dense(10, 16), relu(), dense(16, 3)),
      loss: softmaxCrossEntropyLoss,
      compile: true,
    });
    const hand = mlp({ layers: [10, 16, 3] });
    const rng = createRng(8);
    const params = objective.initialize(rng);
    const g1 = new Float64Array(objective.dimension);
    const g2 = new Float64Array(objective.dimension);
    for (let step = 0; step < 3; step++) {
      const batch = batchOf(rng, 20, 10, 3);
      const l1 = objective.loss(params, batch, g1);
      const l2 = hand.loss(params, batch, g2);
      expect(Math.abs(l1 - l2)).toBeLessThan(1e-12 * (1 + Math.abs(l2)));
      for (let i = 0; i < g1.length; i++)
        expect(Math.abs(g1[i]! - g2[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(g2[i]!)));
    }
  });

  it('batch norm and dropout replay as eager: the same masks, running statistics and parameters through train()', () => {
    const make = (compile: boolean) =>
      moduleObjective({
        model: sequential(dense(7, 10), batchNorm(10), relu(), dropout(0.25), dense(10, 4)),
        loss: softmaxCrossEntropyLoss,
        compile,
      });
    const rng = createRng(5);
    const batches = Array.from({ length: 4 }, (_, i) => batchOf(rng, i === 3 ? 5 : 12, 7, 4));
    const run = (objective: ReturnType<typeof make>) => {
      const events: TrainEvent[] = [];
      train({
        objective,
        optimizer: adam({ learningRate: 0.02 }),
        params: (r) => objective.initialize(r),
        loader: { batchesPerEpoch: 4, samples: 41, batchSize: 12, epoch: () => batches },
        validation: { batchesPerEpoch: 1, samples: 12, batchSize: 12, epoch: () => [batches[0]!] },
        epochs: 5,
        seed: 3,
        runId: 'compiled',
        mode: 'sync',
        controllers: [objective.stateController],
      }).subscribe((e) => events.push(e));
      return events;
    };
    const a = make(false);
    const b = make(true);
    const ea = run(a);
    const eb = run(b);
    const end = (events: TrainEvent[]) => events[events.length - 1] as Extract<TrainEvent, { type: 'end' }>;
    expect(end(eb).reason).toBe('completed');
    expect(bits(end(eb).params)).toEqual(bits(end(ea).params));
    const epochs = (events: TrainEvent[]) =>
      events.flatMap((e) => (e.type === 'epoch' ? [e.loss, e.validationLoss!] : []));
    expect(bits(epochs(eb))).toEqual(bits(epochs(ea)));
    expect(b.saveState()).toEqual(a.saveState());
  });

  it('convolution, pooling, slices, concatenation, gathers and the other element-wise operations replay as eager', () => {
    const make = (compile: boolean) =>
      autodiffObjective<Batch>({
        parameters: { k: { shape: [3, 1, 3, 3] }, e: { shape: [4, 3] }, w: { shape: [17, 2] } },
        compile,
        loss: (p, batch) => {
          const x = reshape(fromMatrix(batch.x), [-1, 1, 6, 6]);
          const c = conv2d(x, p.k!, { padding: 1, stride: 1 });
          const n = batch.x.rows;
          const h = concat(
            [
              reshape(maxPool2d(c, { kernel: 2 }), [n, -1]),
              reshape(avgPool2d(c, { kernel: 3, stride: 3 }), [n, -1]),
            ],
            { axis: 1 },
          ); // [rows, 27 + 12]
          const head = slice(h, [
            [0, batch.x.rows],
            [0, 14],
          ]);
          const rows = gather(p.e!, [0, 2, 3]); // [3, 3]
          const extra = sum(mul(rows, rows)); // scalar from an embedding lookup
          const feats = concat(
            [
              gelu(head),
              sigmoid(
                slice(h, [
                  [0, batch.x.rows],
                  [14, 17],
                ]),
              ),
            ],
            { axis: 1 },
          );
          const out = matmul(maximum(feats, minimum(feats, 0.3)), p.w!);
          const soft = logsumexp(div(out, add(abs(out), 1)), { axis: 1 });
          return add(mean(pow(sqrt(add(exp(neg(soft)), 1)), 2)), mul(extra, 0.01));
        },
      });
    const eager = make(false);
    const compiled = make(true);
    const rng = createRng(12);
    const params = Float64Array.from({ length: eager.dimension }, () => rng.normal(0, 0.5));
    const g1 = new Float64Array(eager.dimension);
    const g2 = new Float64Array(eager.dimension);
    for (let step = 0; step < 3; step++) {
      const x = Float64Array.from({ length: 5 * 36 }, () => rng.normal(0, 1));
      const batch = { x: matrix(x, 5, 36), y: matrix(new Float64Array(5), 5, 1) };
      expect(bits([compiled.loss(params, batch, g2)])).toEqual(bits([eager.loss(params, batch, g1)]));
      expect(bits(g2)).toEqual(bits(g1));
      expect(g1.some((v) => v !== 0)).toBe(true);
      for (let i = 0; i < params.length; i++) params[i]! -= 0.1 * g1[i]!;
    }
  });

  it('losses that build masks and one-hot targets recompute them for each new batch', () => {
    const make = (compile: boolean, which: 'huber' | 'hinge') =>
      autodiffObjective<Batch>({
        parameters: { w: { shape: [3, 1] } },
        compile,
        loss: (p, batch) => {
          const out = matmul(fromMatrix(batch.x), p.w!);
          return which === 'huber'
            ? huberLoss(out, fromMatrix(batch.y))
            : hingeLoss(out, fromMatrix(batch.y));
        },
      });
    const rng = createRng(6);
    for (const which of ['huber', 'hinge'] as const) {
      const eager = make(false, which);
      const compiled = make(true, which);
      const params = Float64Array.from([0.5, -1, 2]);
      const g1 = new Float64Array(3);
      const g2 = new Float64Array(3);
      for (let step = 0; step < 4; step++) {
        const x = Float64Array.from({ length: 24 }, () => rng.normal(0, 1));
        const y = Float64Array.from({ length: 8 }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0, 3));
        const batch = { x: matrix(x, 8, 3), y: matrix(y, 8, 1) };
        expect(bits([compiled.loss(params, batch, g2)])).toEqual(bits([eager.loss(params, batch, g1)]));
        expect(bits(g2)).toEqual(bits(g1));
      }
    }
  });

  it('runs matmul and relu on the kernel set it is given, eager and compiled, with the same numbers', () => {
    const base = jsKernelSet('float64');
    const calls = { gemm: 0, relu: 0 };
    const counting: KernelSet<'float64'> = {
      ...base,
      name: 'counting',
      gemm: (call) => {
        calls.gemm++;
        base.gemm(call);
      },
      relu: (z, a, n) => {
        calls.relu++;
        base.relu(z, a, n);
      },
    };
    const model = () => sequential(dense(5, 6), relu(), dense(6, 3));
    const plain = moduleObjective({ model: model(), loss: softmaxCrossEntropyLoss });
    const rng = createRng(4);
    const params = plain.initialize(rng);
    const batch = batchOf(rng, 9, 5, 3);
    const g0 = new Float64Array(plain.dimension);
    const l0 = plain.loss(params, batch, g0);
    for (const compile of [false, true]) {
      const objective = moduleObjective({
        model: model(),
        loss: softmaxCrossEntropyLoss,
        compile,
        kernels: counting,
      });
      const g = new Float64Array(objective.dimension);
      calls.gemm = 0;
      calls.relu = 0;
      for (let step = 0; step < 2; step++) {
        expect(bits([objective.loss(params, batch, g)])).toEqual(bits([l0]));
        expect(bits(g)).toEqual(bits(g0));
      }
      // Two forward products, three backward ones (no gradient for the batch), one ReLU, per step.
      expect(calls).toEqual({ gemm: 10, relu: 2 });
      objective.predict(params, batch.x);
      expect(calls).toEqual({ gemm: 12, relu: 3 });
    }
  });

  it('refuses a loss that makes a tensor outside the operations, naming its shape', () => {
    const objective = autodiffObjective<Batch>({
      parameters: { w: { shape: [2] } },
      compile: true,
      loss: (p, batch) => {
        const doubled = tensor(
          Array.from(batch.x.data, (v) => 2 * v),
          { shape: [2] },
        );
        return mean(add(mul(p.w!, doubled), 1));
      },
    });
    const batch = { x: matrix(Float64Array.from([1, 2]), 1, 2), y: matrix(new Float64Array(1), 1, 1) };
    expect(() => objective.loss(new Float64Array(2), batch, new Float64Array(2))).toThrow(
      /compile: the loss made a tensor of shape \[2\] outside this package's operations/,
    );
    const notBatch = autodiffObjective<number>({
      parameters: { w: { shape: [1] } },
      compile: true,
      loss: (p) => mean(p.w!),
    });
    expect(() => notBatch.loss(new Float64Array(1), 3)).toThrow(
      /compile needs batches of \{ x, y \} matrices/,
    );
  });
});
