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

type XData = Float64Array;

const K_BLOCK = 256;

/**
 * out[r, o] = bias[o] + sum_k x[r, k] W[o, k] for r < rows, o < outputs
 * (W at `params[wOffset ..]`, bias at `params[bOffset ..]`).
 */
export function denseForwardF64(
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

// Rows of the batch that contribute to the current pair of output units (grown, never shrunk).
let activeRowsF64 = new Int32Array(0);

/**
 * Weight gradient of a dense layer, overwritten: G[o, k] = sum_r dz[r, o] x[r, k]
 * (G at `gradient[gOffset ..]`, `outputs x inputs`), i.e. dz^T x. Two output rows of G are
 * updated together from four input rows at a time, so each loaded x value feeds two rows of G.
 * Rows where both units' dz are zero (ReLU units that were off) are skipped: the list of active
 * rows is gathered first, so a half-sparse dz costs about three quarters of a dense one.
 */
export function denseWeightGradientF64(
  dz: Float64Array,
  rows: number,
  outputs: number,
  x: XData,
  inputs: number,
  gradient: Float64Array,
  gOffset: number,
): void {
  gradient.fill(0, gOffset, gOffset + outputs * inputs);
  if (activeRowsF64.length < rows) activeRowsF64 = new Int32Array(rows);
  const active = activeRowsF64;
  let o = 0;
  for (; o + 1 < outputs; o += 2) {
    const g0 = gOffset + o * inputs;
    const g1 = g0 + inputs;
    let count = 0;
    for (let r = 0; r < rows; r++) {
      if (dz[r * outputs + o] !== 0 || dz[r * outputs + o + 1] !== 0) active[count++] = r;
    }
    let i = 0;
    for (; i + 3 < count; i += 4) {
      const r0 = active[i]!;
      const r1 = active[i + 1]!;
      const r2 = active[i + 2]!;
      const r3 = active[i + 3]!;
      const d00 = dz[r0 * outputs + o]!;
      const d01 = dz[r1 * outputs + o]!;
      const d02 = dz[r2 * outputs + o]!;
      const d03 = dz[r3 * outputs + o]!;
      const d10 = dz[r0 * outputs + o + 1]!;
      const d11 = dz[r1 * outputs + o + 1]!;
      const d12 = dz[r2 * outputs + o + 1]!;
      const d13 = dz[r3 * outputs + o + 1]!;
      const x0 = r0 * inputs;
      const x1 = r1 * inputs;
      const x2 = r2 * inputs;
      const x3 = r3 * inputs;
      for (let k = 0; k < inputs; k++) {
        const v0 = x[x0 + k]!;
        const v1 = x[x1 + k]!;
        const v2 = x[x2 + k]!;
        const v3 = x[x3 + k]!;
        gradient[g0 + k]! += d00 * v0 + d01 * v1 + (d02 * v2 + d03 * v3);
        gradient[g1 + k]! += d10 * v0 + d11 * v1 + (d12 * v2 + d13 * v3);
      }
    }
    for (; i < count; i++) {
      const r = active[i]!;
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
 * (sigmoid(z) - y) x_r added to `gradient` while the row is still in L1. Rows go in blocks of
 * eight: each weight loaded feeds eight dot products, and each read-modify-write of the gradient
 * carries eight products, which halves the instructions per element against one row at a time.
 * One exp per row serves both the loss and the sigmoid (e = exp(-|z|)), and one log1p per four
 * rows gives sum log(1 + e_i) = log1p(prod (1 + e_i) - 1), with the product expanded so that tiny
 * e_i (confident rows) keep their full relative precision. Weights at
 * `params[0 .. cols)`, bias at `params[cols]`. Returns the SUM of the row losses; when
 * `gradient` is given, adds `scale * dloss/dparams` to it (the caller zeroes it and passes
 * scale = 1 / rows for a mean).
 */
export function logisticRowsF64(
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
  for (; r + 7 < rows; r += 8) {
    const x0 = r * cols;
    const x1 = x0 + cols;
    const x2 = x1 + cols;
    const x3 = x2 + cols;
    const x4 = x3 + cols;
    const x5 = x4 + cols;
    const x6 = x5 + cols;
    const x7 = x6 + cols;
    let a0 = bias;
    let a1 = bias;
    let a2 = bias;
    let a3 = bias;
    let a4 = bias;
    let a5 = bias;
    let a6 = bias;
    let a7 = bias;
    for (let k = 0; k < cols; k++) {
      const w = params[k]!;
      a0 += x[x0 + k]! * w;
      a1 += x[x1 + k]! * w;
      a2 += x[x2 + k]! * w;
      a3 += x[x3 + k]! * w;
      a4 += x[x4 + k]! * w;
      a5 += x[x5 + k]! * w;
      a6 += x[x6 + k]! * w;
      a7 += x[x7 + k]! * w;
    }
    const e0 = Math.exp(-Math.abs(a0));
    const e1 = Math.exp(-Math.abs(a1));
    const e2 = Math.exp(-Math.abs(a2));
    const e3 = Math.exp(-Math.abs(a3));
    const e4 = Math.exp(-Math.abs(a4));
    const e5 = Math.exp(-Math.abs(a5));
    const e6 = Math.exp(-Math.abs(a6));
    const e7 = Math.exp(-Math.abs(a7));
    const y0 = y[r]!;
    const y1 = y[r + 1]!;
    const y2 = y[r + 2]!;
    const y3 = y[r + 3]!;
    const y4 = y[r + 4]!;
    const y5 = y[r + 5]!;
    const y6 = y[r + 6]!;
    const y7 = y[r + 7]!;
    // prod (1 + e_i) - 1 without cancellation: (1 + a)(1 + b) - 1 = a + b + ab, all terms >= 0.
    const q01 = e0 + e1 + e0 * e1;
    const q23 = e2 + e3 + e2 * e3;
    const q45 = e4 + e5 + e4 * e5;
    const q67 = e6 + e7 + e6 * e7;
    const q0123 = q01 + q23 + q01 * q23;
    const q4567 = q45 + q67 + q45 * q67;
    total +=
      Math.max(a0, 0) -
      y0 * a0 +
      (Math.max(a1, 0) - y1 * a1) +
      (Math.max(a2, 0) - y2 * a2) +
      (Math.max(a3, 0) - y3 * a3) +
      (Math.max(a4, 0) - y4 * a4 + (Math.max(a5, 0) - y5 * a5)) +
      (Math.max(a6, 0) - y6 * a6 + (Math.max(a7, 0) - y7 * a7)) +
      Math.log1p(q0123) +
      Math.log1p(q4567);
    if (gradient === undefined) continue;
    // sigmoid(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0.
    const g0 = scale * ((a0 >= 0 ? 1 : e0) / (1 + e0) - y0);
    const g1 = scale * ((a1 >= 0 ? 1 : e1) / (1 + e1) - y1);
    const g2 = scale * ((a2 >= 0 ? 1 : e2) / (1 + e2) - y2);
    const g3 = scale * ((a3 >= 0 ? 1 : e3) / (1 + e3) - y3);
    const g4 = scale * ((a4 >= 0 ? 1 : e4) / (1 + e4) - y4);
    const g5 = scale * ((a5 >= 0 ? 1 : e5) / (1 + e5) - y5);
    const g6 = scale * ((a6 >= 0 ? 1 : e6) / (1 + e6) - y6);
    const g7 = scale * ((a7 >= 0 ? 1 : e7) / (1 + e7) - y7);
    gBias += g0 + g1 + (g2 + g3) + (g4 + g5 + (g6 + g7));
    for (let k = 0; k < cols; k++) {
      gradient[k]! +=
        g0 * x[x0 + k]! +
        g1 * x[x1 + k]! +
        (g2 * x[x2 + k]! + g3 * x[x3 + k]!) +
        (g4 * x[x4 + k]! + g5 * x[x5 + k]! + (g6 * x[x6 + k]! + g7 * x[x7 + k]!));
    }
  }
  for (; r < rows; r++) {
    const xa = r * cols;
    let za = bias;
    for (let k = 0; k < cols; k++) za += x[xa + k]! * params[k]!;
    const ya = y[r]!;
    const ea = Math.exp(-Math.abs(za));
    total += Math.max(za, 0) - ya * za + Math.log1p(ea);
    if (gradient !== undefined) {
      const ga = scale * ((za >= 0 ? 1 : ea) / (1 + ea) - ya);
      gBias += ga;
      for (let c = 0; c < cols; c++) gradient[c]! += ga * x[xa + c]!;
    }
  }
  if (gradient !== undefined) gradient[cols]! += gBias;
  return total;
}
