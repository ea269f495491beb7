import type { Rng } from '@downhill/core';
import type { Shape } from '../shape.js';

/** Fills one parameter block from the run's seeded RNG; `fanIn` and `fanOut` follow PyTorch's rule. */
export type Initializer = (rng: Rng, target: Float64Array, fans: { fanIn: number; fanOut: number }) => void;

/**
 * PyTorch's `_calculate_fan_in_and_fan_out`: for a weight of shape [out, in, ...kernel],
 * fanIn = in * prod(kernel), fanOut = out * prod(kernel); a 1-D parameter has fanIn = fanOut = its length.
 */
export function fansOf(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

export const zerosInit: Initializer = (_, target) => {
  target.fill(0);
};

/** U(-limit, limit). */
export function uniformInit(limit: number): Initializer {
  return (rng, target) => {
    for (let i = 0; i < target.length; i++) target[i] = rng.uniform(-limit, limit);
  };
}

/** Glorot (Xavier) uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio, 2010). */
export const glorotUniformInit: Initializer = (rng, target, { fanIn, fanOut }) =>
  uniformInit(Math.sqrt(6 / (fanIn + fanOut)))(rng, target, { fanIn, fanOut });

/** He (Kaiming) normal: N(0, 2 / fanIn) (He et al., 2015), for ReLU layers. */
export const heNormalInit: Initializer = (rng, target, { fanIn }) => {
  const std = Math.sqrt(2 / fanIn);
  for (let i = 0; i < target.length; i++) target[i] = rng.normal(0, std);
};

/**
 * PyTorch's default for `nn.Linear` and `nn.Conv2d` weights and biases (kaiming_uniform with
 * a = sqrt 5): U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn taken from the layer's weight.
 */
export function torchDefaultInit(fanIn: number): Initializer {
  return uniformInit(fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0);
}
