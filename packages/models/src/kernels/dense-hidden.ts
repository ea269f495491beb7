// Kernels that only ever see Float64Array (hidden activations and their gradients).

/**
 * Gradient with respect to a dense layer's input, overwritten: dx[r, k] = sum_o dz[r, o] W[o, k]
 * (dz W), with W `outputs x inputs` at `params[wOffset ..]`. Four rows of W are combined per pass
 * over a row of dx, so each read-modify-write of dx carries four products.
 */
export function denseInputGradient(
  dz: Float64Array,
  rows: number,
  outputs: number,
  params: Float64Array,
  wOffset: number,
  inputs: number,
  dx: Float64Array,
): void {
  dx.fill(0, 0, rows * inputs);
  for (let r = 0; r < rows; r++) {
    const dBase = r * outputs;
    const xBase = r * inputs;
    let o = 0;
    for (; o + 3 < outputs; o += 4) {
      const d0 = dz[dBase + o]!;
      const d1 = dz[dBase + o + 1]!;
      const d2 = dz[dBase + o + 2]!;
      const d3 = dz[dBase + o + 3]!;
      if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
      const w0 = wOffset + o * inputs;
      const w1 = w0 + inputs;
      const w2 = w1 + inputs;
      const w3 = w2 + inputs;
      for (let k = 0; k < inputs; k++) {
        dx[xBase + k]! +=
          d0 * params[w0 + k]! + d1 * params[w1 + k]! + (d2 * params[w2 + k]! + d3 * params[w3 + k]!);
      }
    }
    for (; o < outputs; o++) {
      const d0 = dz[dBase + o]!;
      if (d0 === 0) continue;
      const w0 = wOffset + o * inputs;
      for (let k = 0; k < inputs; k++) dx[xBase + k]! += d0 * params[w0 + k]!;
    }
  }
}

/** Bias gradient, overwritten: g[o] = sum_r dz[r, o] (at `gradient[gOffset ..]`). */
export function biasGradient(
  dz: Float64Array,
  rows: number,
  outputs: number,
  gradient: Float64Array,
  gOffset: number,
): void {
  gradient.fill(0, gOffset, gOffset + outputs);
  for (let r = 0; r < rows; r++) {
    const base = r * outputs;
    for (let o = 0; o < outputs; o++) gradient[gOffset + o]! += dz[base + o]!;
  }
}
