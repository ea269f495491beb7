import type { Initializer } from './initializer.js';

/**
 * All zeros. Right for biases and for convex models (linear, logistic, softmax regression), WRONG
 * for the weights of hidden layers: every hidden unit of a layer then computes the same function,
 * receives the same gradient and gets the same update, so the units stay identical forever (the
 * symmetry is never broken) and the layer acts as a single unit. With ReLU it is worse still: all
 * pre-activations are 0, the derivative there is taken as 0, and no gradient reaches the weights
 * at all. Random initial weights (uniform, normal, Glorot, He, LeCun) break the symmetry.
 */
export const zeros: Initializer = {
  name: 'zeros',
  fill(out) {
    out.fill(0);
  },
};

/** Every value = `value`. Has the same symmetry problem as {@link zeros} for hidden weights. */
export function constant(value: number): Initializer {
  if (!Number.isFinite(value)) throw new RangeError(`constant: value must be finite, got ${value}`);
  return { name: `constant(${value})`, fill: (out) => out.fill(value) };
}

/** Independent draws from U[low, high). */
export function uniform(low = -0.05, high = 0.05): Initializer {
  if (!(high > low) || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new RangeError(`uniform: need finite low < high, got low = ${low}, high = ${high}`);
  }
  return {
    name: `uniform(${low}, ${high})`,
    fill(out, _fans, rng) {
      for (let i = 0; i < out.length; i++) out[i] = rng.uniform(low, high);
    },
  };
}

/** Independent draws from N(mean, std^2). */
export function normal(mean = 0, std = 0.05): Initializer {
  if (!(std >= 0) || !Number.isFinite(std) || !Number.isFinite(mean)) {
    throw new RangeError(`normal: need finite mean and std >= 0, got mean = ${mean}, std = ${std}`);
  }
  return {
    name: `normal(${mean}, ${std})`,
    fill(out, _fans, rng) {
      for (let i = 0; i < out.length; i++) out[i] = rng.normal(mean, std);
    },
  };
}
