import type { KernelSet } from '@downhill/core';
import { allocate, gradOf, type Tensor, type TensorData } from '../tensor.js';
import { defaultKernels } from './default-kernels.js';
import { result } from './result.js';

type Forward = (xd: TensorData, out: TensorData, n: number) => void;
type Backward = (xd: TensorData, out: TensorData, g: TensorData, gx: TensorData, n: number) => void;

/**
 * y = f(x) element-wise. Each operation below writes its forward loop and, beside it, its backward
 * loop gx += g * dy/dx. They are separate loops per operation rather than one loop calling `f`
 * and `df`: a call per element that V8 cannot inline (one loop shared by every operation) boxes
 * each double it returns, an allocation per element of every step.
 */
function unary(x: Tensor, forwardLoop: Forward, backwardLoop: Backward): Tensor {
  const xd = x.data;
  const n = x.size;
  const out = allocate(x.dtype, n);
  const forward = (): void => forwardLoop(xd, out, n);
  forward();
  return result(out, x.shape, [x], (g) => backwardLoop(xd, out, g, gradOf(x), n), forward);
}

/** -x; d/dx = -1. */
export const neg = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) out[i] = -xd[i]!;
    },
    (_, __, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! -= g[i]!;
    },
  );

/** e^x; d/dx = e^x (the output). */
export const exp = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) out[i] = Math.exp(xd[i]!);
    },
    (_, out, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * out[i]!;
    },
  );

/** ln x; d/dx = 1 / x. */
export const log = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) out[i] = Math.log(xd[i]!);
    },
    (xd, _, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * (1 / xd[i]!);
    },
  );

/** ln(1 + x), accurate near 0; d/dx = 1 / (1 + x). */
export const log1p = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) out[i] = Math.log1p(xd[i]!);
    },
    (xd, _, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * (1 / (1 + xd[i]!));
    },
  );

/** sqrt x; d/dx = 1 / (2 sqrt x). */
export const sqrt = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(xd[i]!);
    },
    (_, out, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * (0.5 / out[i]!);
    },
  );

/** |x|; d/dx = sign x (0 at 0, as PyTorch). */
export const abs = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) out[i] = Math.abs(xd[i]!);
    },
    (xd, _, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * Math.sign(xd[i]!);
    },
  );

/** tanh x; d/dx = 1 - tanh^2 x. */
export const tanh = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) out[i] = Math.tanh(xd[i]!);
    },
    (_, out, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * (1 - out[i]! * out[i]!);
    },
  );

/** 1 / (1 + e^-x), without overflow for large |x|; d/dx = s (1 - s). */
export const sigmoid = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
    },
    (_, out, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * (out[i]! * (1 - out[i]!));
    },
  );

/**
 * max(x, 0); d/dx = 1 for x > 0, else 0 (0 at 0, as PyTorch). The forward is the kernel set's
 * fused ReLU pass (the core seam); both loops are written out rather than going through
 * `unary`'s per-element calls, whose double results V8 boxes when the call is not inlined.
 */
export function relu(x: Tensor): Tensor {
  const xd = x.data;
  const n = x.size;
  const out = allocate(x.dtype, n);
  const kernels = defaultKernels(x.dtype) as KernelSet<'float64'>;
  const forward = (): void => kernels.relu(xd as Float64Array, out as Float64Array, n);
  forward();
  return result(
    out,
    x.shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < n; i++) if (xd[i]! > 0) gx[i]! += g[i]!;
    },
    forward,
  );
}

/** x for x > 0, else slope x (Maas et al., 2013; PyTorch's default slope 0.01); d/dx = 1 or slope. */
export function leakyRelu(x: Tensor, options: { slope?: number } = {}): Tensor {
  const slope = options.slope ?? 0.01;
  if (!Number.isFinite(slope)) throw new RangeError(`leakyRelu: slope must be finite, got ${slope}`);
  return unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        out[i] = v > 0 ? v : slope * v;
      }
    },
    (xd, _, g, gx, n) => {
      for (let i = 0; i < n; i++) gx[i]! += g[i]! * (xd[i]! > 0 ? 1 : slope);
    },
  );
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/**
 * GELU (Hendrycks & Gimpel, 2016) in its tanh form (PyTorch's `approximate='tanh'`, the form the
 * MLP of @downhill/models uses): 0.5 x (1 + t), t = tanh(c (x + k x^3)), c = sqrt(2/pi),
 * k = 0.044715; d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 k x^2).
 */
export const gelu = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        out[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_K * v * v * v)));
      }
    },
    (xd, _, g, gx, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        const t = Math.tanh(GELU_C * (v + GELU_K * v * v * v));
        gx[i]! += g[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * v * v));
      }
    },
  );

/** ln(1 + e^x) as max(x, 0) + log1p(e^-|x|) (no overflow); d/dx = sigmoid x. */
export const softplus = (x: Tensor): Tensor =>
  unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        out[i] = Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
      }
    },
    (xd, _, g, gx, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        gx[i]! += g[i]! * (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
      }
    },
  );

/**
 * x limited to [min, max] (either bound may be left out); d/dx = 1 inside the closed interval,
 * 0 outside it (PyTorch passes the gradient at the bounds too).
 */
export function clamp(x: Tensor, options: { min?: number; max?: number }): Tensor {
  const lo = options.min ?? Number.NEGATIVE_INFINITY;
  const hi = options.max ?? Number.POSITIVE_INFINITY;
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi)
    throw new RangeError(`clamp: min (${lo}) must not be greater than max (${hi})`);
  return unary(
    x,
    (xd, out, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        out[i] = v < lo ? lo : Math.min(v, hi);
      }
    },
    (xd, _, g, gx, n) => {
      for (let i = 0; i < n; i++) {
        const v = xd[i]!;
        gx[i]! += g[i]! * (v >= lo && v <= hi ? 1 : 0);
      }
    },
  );
}
