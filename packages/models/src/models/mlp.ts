import type { Batch, KernelDType, KernelSet, Matrix, MatrixData, Rng, Vector } from '@downhill/core';
import { initializeLayout } from '../initializers/initialize-layout.js';
import { glorotUniform, heNormal } from '../initializers/variance-scaling.js';
import { type ComputeOptions, chooseKernels } from '../kernels/choose-kernels.js';
import { denseForward, denseWeightGradient } from '../kernels/dense.js';
import { biasGradient, denseInputGradient } from '../kernels/dense-hidden.js';
import type { Loss } from '../losses/loss.js';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import type { Penalty } from '../losses/penalty.js';
import { softmaxCrossEntropy } from '../losses/softmax-cross-entropy.js';
import { accuracy } from '../metrics/accuracy.js';
import { rootMeanSquaredError, rSquared } from '../metrics/regression-metrics.js';
import { ACTIVATIONS, type ActivationName, activationBackward, activationForward } from './activation.js';
import { applyPenalties } from './apply-penalties.js';
import { kernelMlpPass } from './kernel-mlp-pass.js';
import { checkCall, checkTargets, type InitializeOptions, type Model, type ParameterBlock } from './model.js';
import { Scratch } from './scratch.js';
import { softmaxRowsInPlace } from './softmax-rows.js';

/** Options of {@link mlp}; `compute: 'float32'` runs every layer on the float32 kernel set. */
export interface MlpOptions extends ComputeOptions {
  /** Layer sizes from inputs to outputs, e.g. [784, 128, 10]; at least two entries. */
  readonly layers: readonly number[];
  /** Hidden-layer nonlinearity (default 'relu'). */
  readonly activation?: ActivationName;
  /** Negative-side slope of 'leaky-relu' (default 0.01). */
  readonly leakySlope?: number;
  /**
   * 'softmax' (default): the last layer's outputs are logits for softmax cross-entropy and
   * `predict` returns class probabilities. 'linear': outputs are used as they are with `loss`.
   */
  readonly output?: 'softmax' | 'linear';
  /** Loss for a 'linear' output (default mean squared error; binary cross-entropy from logits fits too). */
  readonly loss?: Loss;
  readonly penalties?: readonly Penalty[];
}

/**
 * Multi-layer perceptron over one flat parameter vector: layer l (1-based) has weights W_l
 * (`sizes[l] x sizes[l-1]`, row-major) followed by biases b_l, layer after layer.
 *
 * Forward: Z_l = A_{l-1} W_l^T + b_l, A_l = f(Z_l) for hidden layers, A_0 = X; the last Z is the
 * output. Backward (same call): dZ_L = dLoss/dZ_L from the loss; then for each layer
 * dW_l = dZ_l^T A_{l-1}, db_l = column sums of dZ_l, and dZ_{l-1} = (dZ_l W_l) * f'(Z_{l-1}).
 * Activations and their gradients live in scratch buffers sized for the largest batch seen.
 */
export function mlp(options: MlpOptions): Model {
  const name = 'mlp';
  const sizes = [...options.layers];
  if (sizes.length < 2)
    throw new RangeError(`${name}: layers needs at least 2 sizes (inputs, outputs), got ${sizes.length}`);
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1)
      throw new RangeError(`${name}: layers[${i}] must be an integer >= 1, got ${s}`);
  });
  const activation = options.activation ?? 'relu';
  if (!ACTIVATIONS.includes(activation)) {
    throw new RangeError(
      `${name}: activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(activation)}`,
    );
  }
  const slope = options.leakySlope ?? 0.01;
  if (!Number.isFinite(slope)) throw new RangeError(`${name}: leakySlope must be finite, got ${slope}`);
  const output = options.output ?? 'softmax';
  if (output !== 'softmax' && output !== 'linear') {
    throw new RangeError(`${name}: output must be 'softmax' or 'linear', got ${String(output)}`);
  }
  const lastSize = sizes[sizes.length - 1]!;
  if (output === 'softmax' && lastSize < 2) {
    throw new RangeError(`${name}: a softmax output needs >= 2 units, got ${lastSize}`);
  }
  const loss = output === 'softmax' ? softmaxCrossEntropy : (options.loss ?? meanSquaredError);
  const penalties = options.penalties ?? [];
  const layerCount = sizes.length - 1;
  const inputs = sizes[0]!;
  const outputs = lastSize;

  const layout: ParameterBlock[] = [];
  const wOffsets: number[] = [];
  const bOffsets: number[] = [];
  let offset = 0;
  for (let l = 1; l <= layerCount; l++) {
    const rows = sizes[l]!;
    const cols = sizes[l - 1]!;
    wOffsets.push(offset);
    layout.push({ name: `layer${l}.weights`, kind: 'weight', offset, rows, cols });
    offset += rows * cols;
    bOffsets.push(offset);
    layout.push({ name: `layer${l}.bias`, kind: 'bias', offset, rows: 1, cols: rows });
    offset += rows;
  }
  const dimension = offset;
  // z[l], a[l], d[l] for l = 1 .. layerCount (index 0 unused; A_0 is the batch's x).
  const kernels = chooseKernels(name, options);
  const pass =
    kernels === undefined
      ? undefined
      : kernelMlpPass({
          sizes,
          wOffsets,
          bOffsets,
          activation,
          slope,
          loss,
          kernels: kernels as KernelSet<KernelDType>,
        });
  const zs = sizes.map(() => new Scratch());
  const as = sizes.map(() => new Scratch());
  const ds = sizes.map(() => new Scratch());

  /** Runs the forward pass; returns the output layer's Z buffer. */
  function forward(params: Vector, x: Matrix): Float64Array {
    const rows = x.rows;
    let input: MatrixData = x.data;
    for (let l = 1; l <= layerCount; l++) {
      const n = sizes[l]!;
      const z = zs[l]!.ensure(rows * n);
      denseForward(input, rows, sizes[l - 1]!, params, wOffsets[l - 1]!, bOffsets[l - 1]!, n, z);
      if (l === layerCount) return z;
      const a = as[l]!.ensure(rows * n);
      activationForward(activation, slope, z, a, rows * n);
      input = a;
    }
    throw new Error('unreachable');
  }

  function lossAndGradient(params: Vector, batch: Batch, grad?: Vector): number {
    const { x, y } = batch;
    checkCall(name, dimension, inputs, params, x, grad);
    checkTargets(name, x, y);
    if (pass !== undefined)
      return pass.lossAndGradient(params, x, y, grad) + applyPenalties(penalties, layout, params, grad);
    const rows = x.rows;
    const out = forward(params, x);
    if (grad === undefined)
      return loss.evaluate(out, outputs, y) + applyPenalties(penalties, layout, params, undefined);
    const dOut = ds[layerCount]!.ensure(rows * outputs);
    const value = loss.evaluate(out, outputs, y, dOut);
    for (let l = layerCount; l >= 1; l--) {
      const n = sizes[l]!;
      const nIn = sizes[l - 1]!;
      const dz = ds[l]!.buffer;
      const input: MatrixData = l === 1 ? x.data : as[l - 1]!.buffer;
      denseWeightGradient(dz, rows, n, input, nIn, grad, wOffsets[l - 1]!);
      biasGradient(dz, rows, n, grad, bOffsets[l - 1]!);
      if (l > 1) {
        const dPrev = ds[l - 1]!.ensure(rows * nIn);
        denseInputGradient(dz, rows, n, params, wOffsets[l - 1]!, nIn, dPrev);
        activationBackward(activation, slope, zs[l - 1]!.buffer, as[l - 1]!.buffer, dPrev, rows * nIn);
      }
    }
    return value + applyPenalties(penalties, layout, params, grad);
  }

  function predict(params: Vector, x: Matrix, outBuffer?: Float64Array): Float64Array {
    checkCall(name, dimension, inputs, params, x);
    const out = pass === undefined ? forward(params, x) : pass.forward(params, x);
    const result = outBuffer ?? new Float64Array(x.rows * outputs);
    result.set(out.subarray(0, x.rows * outputs));
    if (output === 'softmax') softmaxRowsInPlace(result, x.rows, outputs);
    return result;
  }

  const defaultWeights = activation === 'tanh' || activation === 'sigmoid' ? glorotUniform : heNormal;

  return {
    dimension,
    inputs,
    outputs,
    layout,
    loss: lossAndGradient,
    predict,
    metrics(params, batch): Record<string, number> {
      const p = predict(params, batch.x);
      const value = lossAndGradient(params, batch);
      return output === 'softmax'
        ? { loss: value, accuracy: accuracy(p, outputs, batch.y) }
        : { loss: value, rmse: rootMeanSquaredError(p, batch.y), r2: rSquared(p, batch.y) };
    },
    initialize: (rng: Rng, init?: InitializeOptions) =>
      initializeLayout(layout, dimension, rng, defaultWeights, init),
    describe: () => ({
      name,
      layers: sizes,
      activation,
      ...(activation === 'leaky-relu' && { leakySlope: slope }),
      output,
      compute: kernels?.dtype ?? 'float64',
      ...(kernels !== undefined && { kernels: kernels.name }),
      loss: loss.describe(),
      penalties: penalties.map((q) => q.describe()),
      parameters: dimension,
    }),
  };
}
