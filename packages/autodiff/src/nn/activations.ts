import * as ops from '../ops/unary.js';
import type { Tensor } from '../tensor.js';
import type { Module } from './module.js';

function activation(name: string, f: (x: Tensor) => Tensor, extra: Record<string, unknown> = {}): Module {
  return { parameters: [], forward: (_, x) => f(x), describe: () => ({ name, ...extra }) };
}

/** ReLU as a layer (PyTorch's `nn.ReLU`). */
export const relu = (): Module => activation('relu', ops.relu);
/** tanh as a layer. */
export const tanh = (): Module => activation('tanh', ops.tanh);
/** The logistic sigmoid as a layer. */
export const sigmoid = (): Module => activation('sigmoid', ops.sigmoid);
/** GELU (tanh form) as a layer. */
export const gelu = (): Module => activation('gelu', ops.gelu);
/** softplus as a layer. */
export const softplus = (): Module => activation('softplus', ops.softplus);
/** Leaky ReLU as a layer (default slope 0.01). */
export const leakyRelu = (options: { slope?: number } = {}): Module =>
  activation('leakyRelu', (x) => ops.leakyRelu(x, options), { slope: options.slope ?? 0.01 });
