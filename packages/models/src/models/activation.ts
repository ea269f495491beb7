/** Hidden-layer nonlinearities of {@link mlp}. */
export type ActivationName = 'relu' | 'leaky-relu' | 'tanh' | 'sigmoid' | 'gelu';

export const ACTIVATIONS: readonly ActivationName[] = ['relu', 'leaky-relu', 'tanh', 'sigmoid', 'gelu'];

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/**
 * a = f(z) element-wise over the first n values. Each forward formula sits next to its
 * derivative in {@link activationBackward}:
 * - relu: max(0, z)                          f'(z) = 1 if z > 0 else 0
 * - leaky-relu: z if z > 0 else slope z      f'(z) = 1 if z > 0 else slope   (Maas et al., 2013)
 * - tanh: tanh z                              f'(z) = 1 - tanh^2 z
 * - sigmoid: 1 / (1 + e^-z)                   f'(z) = s (1 - s)
 * - gelu (Hendrycks & Gimpel, 2016), tanh form: 0.5 z (1 + tanh(c (z + k z^3))), c = sqrt(2/pi),
 *   k = 0.044715;  f'(z) = 0.5 (1 + t) + 0.5 z (1 - t^2) c (1 + 3 k z^2) with t that tanh.
 */
export function activationForward(
  kind: ActivationName,
  slope: number,
  z: Float64Array | Float32Array,
  a: Float64Array | Float32Array,
  n: number,
): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < n; i++) a[i] = Math.max(z[i]!, 0);
      return;
    case 'leaky-relu':
      for (let i = 0; i < n; i++) a[i] = z[i]! > 0 ? z[i]! : slope * z[i]!;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]!);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        a[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        a[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_K * v * v * v)));
      }
      return;
  }
}

// Float32Array arguments come from float32 compute on a kernel set (see kernel-mlp-pass.ts).

/** d[i] *= f'(z[i]) for the first n values, with a = f(z) from the forward pass where that is cheaper. */
export function activationBackward(
  kind: ActivationName,
  slope: number,
  z: Float64Array | Float32Array,
  a: Float64Array | Float32Array,
  d: Float64Array | Float32Array,
  n: number,
): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < n; i++) if (!(z[i]! > 0)) d[i] = 0;
      return;
    case 'leaky-relu':
      for (let i = 0; i < n; i++) if (!(z[i]! > 0)) d[i]! *= slope;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) d[i]! *= 1 - a[i]! * a[i]!;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) d[i]! *= a[i]! * (1 - a[i]!);
      return;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = z[i]!;
        const t = Math.tanh(GELU_C * (v + GELU_K * v * v * v));
        d[i]! *= 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * v * v);
      }
      return;
  }
}
