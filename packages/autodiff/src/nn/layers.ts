import { batchNorm as batchNormOp } from '../ops/batch-norm.js';
import { type Conv2dOptions, conv2d as conv2dOp } from '../ops/conv2d.js';
import { dropout as dropoutOp } from '../ops/dropout.js';
import { layerNorm as layerNormOp } from '../ops/layer-norm.js';
import { avgPool2d, maxPool2d, type Pool2dOptions } from '../ops/pool2d.js';
import { reshape } from '../ops/reshape.js';
import { type Initializer, torchDefaultInit } from '../params/initializers.js';
import type { Module, ModuleParameter } from './module.js';

/** Options of {@link conv2d}. */
export interface Conv2dLayerOptions extends Omit<Conv2dOptions, 'bias'> {
  readonly kernel: number | readonly [number, number];
  /** Default true. */
  readonly bias?: boolean;
  /** Default PyTorch's nn.Conv2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in channels x kernel area. */
  readonly weightInit?: Initializer;
  readonly biasInit?: Initializer;
}

/** PyTorch's `nn.Conv2d(inChannels, outChannels, kernel, ...)`: `weight` [out, in, kh, kw], `bias` [out]; input [n, in, h, w]. */
export function conv2d(inChannels: number, outChannels: number, options: Conv2dLayerOptions): Module {
  const [kh, kw] = typeof options.kernel === 'number' ? [options.kernel, options.kernel] : options.kernel;
  for (const [field, v] of [
    ['inChannels', inChannels],
    ['outChannels', outChannels],
    ['kernel', kh],
    ['kernel', kw],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`conv2d: ${field} must be an integer >= 1, got ${v}`);
  }
  const init = torchDefaultInit(inChannels * kh * kw);
  const bias = options.bias ?? true;
  const parameters: ModuleParameter[] = [
    {
      name: 'weight',
      shape: [outChannels, inChannels, kh, kw],
      kind: 'weight',
      init: options.weightInit ?? init,
    },
  ];
  if (bias)
    parameters.push({ name: 'bias', shape: [outChannels], kind: 'bias', init: options.biasInit ?? init });
  const { stride, padding, dilation } = options;
  return {
    parameters,
    forward: (params, x) =>
      conv2dOp(x, params('weight'), {
        ...(bias && { bias: params('bias') }),
        ...(stride !== undefined && { stride }),
        ...(padding !== undefined && { padding }),
        ...(dilation !== undefined && { dilation }),
      }),
    describe: () => ({
      name: 'conv2d',
      inChannels,
      outChannels,
      kernel: [kh, kw],
      stride,
      padding,
      dilation,
      bias,
    }),
  };
}

/** `nn.MaxPool2d` as a layer. */
export const maxPool = (options: Pool2dOptions): Module => ({
  parameters: [],
  forward: (_, x) => maxPool2d(x, options),
  describe: () => ({ name: 'maxPool2d', ...options }),
});

/** `nn.AvgPool2d` as a layer. */
export const avgPool = (options: Pool2dOptions): Module => ({
  parameters: [],
  forward: (_, x) => avgPool2d(x, options),
  describe: () => ({ name: 'avgPool2d', ...options }),
});

/** Reshapes [n, ...] to [n, rest] (`nn.Flatten`), or to any `shape` with -1 for one inferred extent (e.g. [-1, 1, 8, 8] for image rows). */
export const flatten = (options: { shape?: readonly number[] } = {}): Module => ({
  parameters: [],
  forward: (_, x) => reshape(x, options.shape ?? [x.shape[0]!, -1]),
  describe: () => ({ name: 'flatten', ...(options.shape !== undefined && { shape: options.shape }) }),
});

/** `nn.LayerNorm(features)` over the last axis: `weight` (ones) and `bias` (zeros), eps 1e-5. */
export function layerNorm(features: number, options: { eps?: number } = {}): Module {
  return {
    parameters: [
      { name: 'weight', shape: [features], kind: 'weight', init: (_, t) => t.fill(1) },
      { name: 'bias', shape: [features], kind: 'bias', init: (_, t) => t.fill(0) },
    ],
    forward: (params, x) => layerNormOp(x, { weight: params('weight'), bias: params('bias'), ...options }),
    describe: () => ({ name: 'layerNorm', features, eps: options.eps ?? 1e-5 }),
  };
}

/** Options of {@link batchNorm}. */
export interface BatchNormLayerOptions {
  /** Weight of each batch in the running statistics (default 0.1, as PyTorch). */
  readonly momentum?: number;
  /** Default 1e-5. */
  readonly eps?: number;
  /** Learned per-channel `weight` (ones) and `bias` (zeros); default true. */
  readonly affine?: boolean;
}

/**
 * PyTorch's `nn.BatchNorm1d(channels)` / `nn.BatchNorm2d(channels)` over axis 1 of [n, channels, ...]:
 * parameters `weight` (ones, kind 'weight') and `bias` (zeros), buffers `running_mean` (zeros) and
 * `running_var` (ones). Training normalizes with the batch's statistics and moves the running ones
 * (unbiased variance); evaluation uses the running statistics.
 */
export function batchNorm(channels: number, options: BatchNormLayerOptions = {}): Module {
  if (!Number.isInteger(channels) || channels < 1)
    throw new RangeError(`batchNorm: channels must be an integer >= 1, got ${channels}`);
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  const affine = options.affine ?? true;
  const parameters: ModuleParameter[] = affine
    ? [
        { name: 'weight', shape: [channels], kind: 'weight', init: (_, t) => t.fill(1) },
        { name: 'bias', shape: [channels], kind: 'bias', init: (_, t) => t.fill(0) },
      ]
    : [];
  return {
    parameters,
    buffers: [
      { name: 'running_mean', shape: [channels], init: (t) => t.fill(0) },
      { name: 'running_var', shape: [channels], init: (t) => t.fill(1) },
    ],
    forward(params, x, context) {
      if (context.buffers === undefined)
        throw new RangeError(
          'batchNorm: the forward context has no buffers (run it through moduleObjective)',
        );
      return batchNormOp(x, {
        training: context.training,
        ...(affine && { weight: params('weight'), bias: params('bias') }),
        runningMean: context.buffers('running_mean'),
        runningVar: context.buffers('running_var'),
        momentum,
        eps,
      });
    },
    describe: () => ({ name: 'batchNorm', channels, momentum, eps, affine }),
  };
}

/**
 * `nn.Dropout(rate)`: active in training with the context's seeded RNG, the identity in
 * evaluation (and when the context has no RNG, which it refuses in training).
 */
export function dropout(rate: number): Module {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1), got ${rate}`);
  return {
    parameters: [],
    forward(_, x, context) {
      if (!context.training || rate === 0) return x;
      if (context.rng === undefined)
        throw new RangeError('dropout: training needs an RNG in the forward context (moduleObjective seed)');
      return dropoutOp(x, { rate, rng: context.rng });
    },
    describe: () => ({ name: 'dropout', rate }),
  };
}
