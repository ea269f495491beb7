// The plain Adam update (Kingma & Ba, 2015), inline for the benchmarks only: @downhill/optimizers
// is written concurrently and is not a dependency of this package.
//   m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//   p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// eps = 1e-7 as in TensorFlow.js, so both sides run the same rule.

export interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  t: number;
}

export function adamInit(n: number): AdamState {
  return { m: new Float64Array(n), v: new Float64Array(n), t: 0 };
}

export function adamStep(
  params: Float64Array,
  grad: Float64Array,
  state: AdamState,
  lr: number,
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-7,
): void {
  state.t++;
  const c1 = 1 / (1 - b1 ** state.t);
  const c2 = 1 / (1 - b2 ** state.t);
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i]!;
    const mi = b1 * m[i]! + (1 - b1) * g;
    const vi = b2 * v[i]! + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i]! -= (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
  }
}

export function sgdStep(params: Float64Array, grad: Float64Array, lr: number): void {
  for (let i = 0; i < params.length; i++) params[i]! -= lr * grad[i]!;
}
