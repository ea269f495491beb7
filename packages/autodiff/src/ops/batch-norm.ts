import { formatShape } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { result } from './result.js';

/** Options of {@link batchNorm}: PyTorch's `F.batch_norm` arguments. */
export interface BatchNormOptions {
  /** Normalize with the batch's statistics and update the running ones (true), or use the running ones (false). */
  readonly training: boolean;
  /** Scale per channel (shape [channels]); default none. */
  readonly weight?: Tensor;
  /** Shift per channel; default none. */
  readonly bias?: Tensor;
  /** Running mean per channel, updated in place in training; required in evaluation. */
  readonly runningMean?: Float64Array;
  /** Running (unbiased) variance per channel, updated in place in training; required in evaluation. */
  readonly runningVar?: Float64Array;
  /** Weight of the new batch in the running statistics: r = (1 - momentum) r + momentum s; default 0.1. */
  readonly momentum?: number;
  /** Added to the variance under the square root; default 1e-5. */
  readonly eps?: number;
}

/**
 * Batch normalization (Ioffe & Szegedy, 2015) over axis 1 of x [n, c, ...] (PyTorch's
 * `BatchNorm1d` on [n, c] or [n, c, l], `BatchNorm2d` on [n, c, h, w]): per channel,
 * y = (x - mu) / sqrt(var + eps) * weight + bias.
 *
 * Training: mu and var are the batch's (biased variance, over every axis but 1); the running
 * statistics move towards the batch's with `momentum`, the variance's unbiased form
 * (times m / (m - 1), m the elements per channel), as PyTorch does. Evaluation: mu and var are
 * the running statistics, which stay as they are.
 *
 * Backward, per channel with xhat = (x - mu) invstd, dxhat = g weight and m elements:
 * training: dx = invstd / m (m dxhat - sum dxhat - xhat sum(dxhat xhat)) (mu and var depend on x);
 * evaluation: dx = dxhat invstd; both: dweight = sum g xhat, dbias = sum g.
 */
export function batchNorm(x: Tensor, options: BatchNormOptions): Tensor {
  const { training, weight, bias, runningMean, runningVar } = options;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  if (x.rank < 2)
    throw new RangeError(`batchNorm: input must be [n, channels, ...], got ${formatShape(x.shape)}`);
  const channels = x.shape[1]!;
  const inner = x.size / Math.max(1, x.shape[0]! * channels);
  const m = x.shape[0]! * inner;
  for (const [field, t] of [
    ['weight', weight?.size],
    ['bias', bias?.size],
    ['runningMean', runningMean?.length],
    ['runningVar', runningVar?.length],
  ] as const) {
    if (t !== undefined && t !== channels)
      throw new RangeError(`batchNorm: ${field} has ${t} elements, the input has ${channels} channels`);
  }
  if (!(momentum >= 0 && momentum <= 1))
    throw new RangeError(`batchNorm: momentum must be in [0, 1], got ${momentum}`);
  if (!(eps > 0)) throw new RangeError(`batchNorm: eps must be > 0, got ${eps}`);
  if (!training && (runningMean === undefined || runningVar === undefined))
    throw new RangeError('batchNorm: evaluation needs runningMean and runningVar');
  if (training && m < 2)
    throw new RangeError(
      `batchNorm: training needs more than one value per channel, got input ${formatShape(x.shape)}`,
    );
  const xd = x.data;
  const out = allocate(x.dtype, x.size);
  const xhat = new Float64Array(x.size);
  const invstd = new Float64Array(channels);
  const parents = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  const forward = (): void => {
    for (let c = 0; c < channels; c++) {
      let mu: number;
      let v: number;
      if (training) {
        let s = 0;
        for (let b = 0; b < x.shape[0]!; b++) {
          const base = (b * channels + c) * inner;
          for (let i = 0; i < inner; i++) s += xd[base + i]!;
        }
        mu = s / m;
        let q = 0;
        for (let b = 0; b < x.shape[0]!; b++) {
          const base = (b * channels + c) * inner;
          for (let i = 0; i < inner; i++) {
            const d = xd[base + i]! - mu;
            q += d * d;
          }
        }
        v = q / m;
        if (runningMean !== undefined) runningMean[c] = (1 - momentum) * runningMean[c]! + momentum * mu;
        if (runningVar !== undefined)
          runningVar[c] = (1 - momentum) * runningVar[c]! + momentum * (q / (m - 1));
      } else {
        mu = runningMean![c]!;
        v = runningVar![c]!;
      }
      const is = 1 / Math.sqrt(v + eps);
      invstd[c] = is;
      const w = weight === undefined ? 1 : weight.data[c]!;
      const sh = bias === undefined ? 0 : bias.data[c]!;
      for (let b = 0; b < x.shape[0]!; b++) {
        const base = (b * channels + c) * inner;
        for (let i = 0; i < inner; i++) {
          const h = (xd[base + i]! - mu) * is;
          xhat[base + i] = h;
          out[base + i] = h * w + sh;
        }
      }
    }
  };
  forward();
  return result(
    out,
    x.shape,
    parents,
    (g) => {
      const gx = x.requiresGrad ? gradOf(x) : undefined;
      const gw = weight?.requiresGrad ? gradOf(weight) : undefined;
      const gb = bias?.requiresGrad ? gradOf(bias) : undefined;
      for (let c = 0; c < channels; c++) {
        let sg = 0;
        let sgh = 0;
        for (let b = 0; b < x.shape[0]!; b++) {
          const base = (b * channels + c) * inner;
          for (let i = 0; i < inner; i++) {
            sg += g[base + i]!;
            sgh += g[base + i]! * xhat[base + i]!;
          }
        }
        if (gw !== undefined) gw[c]! += sgh;
        if (gb !== undefined) gb[c]! += sg;
        if (gx === undefined) continue;
        const w = weight === undefined ? 1 : weight.data[c]!;
        const is = invstd[c]!;
        // With dxhat = g w: sum dxhat = w sg and sum dxhat xhat = w sgh.
        for (let b = 0; b < x.shape[0]!; b++) {
          const base = (b * channels + c) * inner;
          for (let i = 0; i < inner; i++) {
            const dh = g[base + i]! * w;
            gx[base + i]! += training ? (is / m) * (m * dh - w * sg - xhat[base + i]! * w * sgh) : dh * is;
          }
        }
      }
    },
    forward,
  );
}
