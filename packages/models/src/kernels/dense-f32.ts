// GENERATED from dense-f64.ts by scripts/generate-f32-kernels.mjs: do not edit.
// Dense-layer kernels for inputs stored as Float64Array. V8 specialises a function on the
// typed-array kind it sees, and a kernel fed both kinds slows down for both, so every kernel that
// reads input data exists once per element type: dense-f32.ts is generated from this file by
// scripts/generate-f32-kernels.mjs (a test checks that the two agree). Edit this file only.
//
// Layout: inputs x are `rows x inputs` row-major; a weight block sits in the flat parameter vector
// at `wOffset` as `outputs x inputs` row-major (one row per output unit), so x W^T is a product
// of rows with rows. The products are register-blocked (2 rows x 4 outputs of accumulators per
// pass over k) and cache-blocked over k in chunks of K_BLOCK, so a chunk of W stays in L1/L2 while
// every row of the batch streams past it. None of them allocates.

type XData = Float32Array;

const K_BLOCK = 256;

/**
 * out[r, o] = bias[o] + sum_k x[r, k] W[o, k] for r < rows, o < outputs
 * (W at `params[wOffset ..]`, bias at `params[bOffset ..]`).
 */
export function denseForwardF32(
  x: XData,
  rows: number,
  inputs: number,
  params: Float64Array,
  wOffset: number,
  bOffset: number,
  outputs: number,
  out: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o0 = r * outputs;
    for (let o = 0; o < outputs; o++) out[o0 + o] = params[bOffset + o]!;
  }
  for (let k0 = 0; k0 < inputs; k0 += K_BLOCK) {
    const k1 = Math.min(inputs, k0 + K_BLOCK);
    let r = 0;
    for (; r + 1 < rows; r += 2) {
      const xa = r * inputs;
      const xb = xa + inputs;
      const outA = r * outputs;
      const outB = outA + outputs;
      let o = 0;
      for (; o + 3 < outputs; o += 4) {
        const w0 = wOffset + o * inputs;
        const w1 = w0 + inputs;
        const w2 = w1 + inputs;
        const w3 = w2 + inputs;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let b0 = 0;
        let b1 = 0;
        let b2 = 0;
        let b3 = 0;
        for (let k = k0; k < k1; k++) {
          const va = x[xa + k]!;
          const vb = x[xb + k]!;
          const p0 = params[w0 + k]!;
          const p1 = params[w1 + k]!;
          const p2 = params[w2 + k]!;
          const p3 = params[w3 + k]!;
          a0 += va * p0;
          a1 += va * p1;
          a2 += va * p2;
          a3 += va * p3;
          b0 += vb * p0;
          b1 += vb * p1;
          b2 += vb * p2;
          b3 += vb * p3;
        }
        out[outA + o]! += a0;
        out[outA + o + 1]! += a1;
        out[outA + o + 2]! += a2;
        out[outA + o + 3]! += a3;
        out[outB + o]! += b0;
        out[outB + o + 1]! += b1;
        out[outB + o + 2]! += b2;
        out[outB + o + 3]! += b3;
      }
      for (; o < outputs; o++) {
        const w0 = wOffset + o * inputs;
        let a0 = 0;
        let b0 = 0;
        for (let k = k0; k < k1; k++) {
          const p = params[w0 + k]!;
          a0 += x[xa + k]! * p;
          b0 += x[xb + k]! * p;
        }
        out[outA + o]! += a0;
        out[outB + o]! += b0;
      }
    }
    for (; r < rows; r++) {
      const xa = r * inputs;
      const outA = r * outputs;
      for (let o = 0; o < outputs; o++) {
        const w0 = wOffset + o * inputs;
        let a0 = 0;
        let a1 = 0;
        let k = k0;
        for (; k + 1 < k1; k += 2) {
          a0 += x[xa + k]! * params[w0 + k]!;
          a1 += x[xa + k + 1]! * params[w0 + k + 1]!;
        }
        if (k < k1) a0 += x[xa + k]! * params[w0 + k]!;
        out[outA + o]! += a0 + a1;
      }
    }
  }
}

/**
 * Weight gradient of a dense layer, overwritten: G[o, k] = sum_r dz[r, o] x[r, k]
 * (G at `gradient[gOffset ..]`, `outputs x inputs`), i.e. dz^T x. Two output rows of G are
 * updated together from four input rows at a time, so each loaded x value feeds two rows of G.
 */
export function denseWeightGradientF32(
  dz: Float64Array,
  rows: number,
  outputs: number,
  x: XData,
  inputs: number,
  gradient: Float64Array,
  gOffset: number,
): void {
  gradient.fill(0, gOffset, gOffset + outputs * inputs);
  let o = 0;
  for (; o + 1 < outputs; o += 2) {
    const g0 = gOffset + o * inputs;
    const g1 = g0 + inputs;
    let r = 0;
    for (; r + 3 < rows; r += 4) {
      const d00 = dz[r * outputs + o]!;
      const d01 = dz[(r + 1) * outputs + o]!;
      const d02 = dz[(r + 2) * outputs + o]!;
      const d03 = dz[(r + 3) * outputs + o]!;
      const d10 = dz[r * outputs + o + 1]!;
      const d11 = dz[(r + 1) * outputs + o + 1]!;
      const d12 = dz[(r + 2) * outputs + o + 1]!;
      const d13 = dz[(r + 3) * outputs + o + 1]!;
      if (
        d00 === 0 &&
        d01 === 0 &&
        d02 === 0 &&
        d03 === 0 &&
        d10 === 0 &&
        d11 === 0 &&
        d12 === 0 &&
        d13 === 0
      )
        continue;
      const x0 = r * inputs;
      const x1 = x0 + inputs;
      const x2 = x1 + inputs;
      const x3 = x2 + inputs;
      for (let k = 0; k < inputs; k++) {
        const v0 = x[x0 + k]!;
        const v1 = x[x1 + k]!;
        const v2 = x[x2 + k]!;
        const v3 = x[x3 + k]!;
        gradient[g0 + k]! += d00 * v0 + d01 * v1 + (d02 * v2 + d03 * v3);
        gradient[g1 + k]! += d10 * v0 + d11 * v1 + (d12 * v2 + d13 * v3);
      }
    }
    for (; r < rows; r++) {
      const d0 = dz[r * outputs + o]!;
      const d1 = dz[r * outputs + o + 1]!;
      const x0 = r * inputs;
      for (let k = 0; k < inputs; k++) {
        const v = x[x0 + k]!;
        gradient[g0 + k]! += d0 * v;
        gradient[g1 + k]! += d1 * v;
      }
    }
  }
  for (; o < outputs; o++) {
    const g0 = gOffset + o * inputs;
    for (let r = 0; r < rows; r++) {
      const d0 = dz[r * outputs + o]!;
      if (d0 === 0) continue;
      const x0 = r * inputs;
      for (let k = 0; k < inputs; k++) gradient[g0 + k]! += d0 * x[x0 + k]!;
    }
  }
}

/**
 * Logistic regression over rows in ONE pass: for each row, z = b + w . x_r, the loss
 * softplus(z) - y z (binary cross-entropy from logits), and the gradient contribution
 * (sigmoid(z) - y) x_r added to `gradient` while the row is still in L1. Two rows are processed
 * together so their dot products and updates overlap. Weights at `params[0 .. cols)`, bias at
 * `params[cols]`. Returns the SUM of the row losses; when `gradient` is given, adds
 * `scale * dloss/dparams` to it (the caller zeroes it and passes scale = 1 / rows for a mean).
 */
export function logisticRowsF32(
  x: XData,
  rows: number,
  cols: number,
  y: Float64Array | Float32Array,
  params: Float64Array,
  gradient: Float64Array | undefined,
  scale: number,
): number {
  const bias = params[cols]!;
  let total = 0;
  let gBias = 0;
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const xa = r * cols;
    const xb = xa + cols;
    let a0 = 0;
    let a1 = 0;
    let b0 = 0;
    let b1 = 0;
    let k = 0;
    for (; k + 1 < cols; k += 2) {
      const w0 = params[k]!;
      const w1 = params[k + 1]!;
      a0 += x[xa + k]! * w0;
      a1 += x[xa + k + 1]! * w1;
      b0 += x[xb + k]! * w0;
      b1 += x[xb + k + 1]! * w1;
    }
    if (k < cols) {
      a0 += x[xa + k]! * params[k]!;
      b0 += x[xb + k]! * params[k]!;
    }
    const za = bias + a0 + a1;
    const zb = bias + b0 + b1;
    const ya = y[r]!;
    const yb = y[r + 1]!;
    // One exp per row serves both the loss and the sigmoid: e = exp(-|z|).
    const ea = Math.exp(-Math.abs(za));
    const eb = Math.exp(-Math.abs(zb));
    total += Math.max(za, 0) + Math.log1p(ea) - ya * za;
    total += Math.max(zb, 0) + Math.log1p(eb) - yb * zb;
    if (gradient !== undefined) {
      const sa = za >= 0 ? 1 / (1 + ea) : ea / (1 + ea);
      const sb = zb >= 0 ? 1 / (1 + eb) : eb / (1 + eb);
      const ga = scale * (sa - ya);
      const gb = scale * (sb - yb);
      gBias += ga + gb;
      for (let c = 0; c < cols; c++) gradient[c]! += ga * x[xa + c]! + gb * x[xb + c]!;
    }
  }
  if (r < rows) {
    const xa = r * cols;
    let a0 = 0;
    for (let k = 0; k < cols; k++) a0 += x[xa + k]! * params[k]!;
    const za = bias + a0;
    const ya = y[r]!;
    const ea = Math.exp(-Math.abs(za));
    total += Math.max(za, 0) + Math.log1p(ea) - ya * za;
    if (gradient !== undefined) {
      const sa = za >= 0 ? 1 / (1 + ea) : ea / (1 + ea);
      const ga = scale * (sa - ya);
      gBias += ga;
      for (let c = 0; c < cols; c++) gradient[c]! += ga * x[xa + c]!;
    }
  }
  if (gradient !== undefined) gradient[cols]! += gBias;
  return total;
}
