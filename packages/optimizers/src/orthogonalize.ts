/** Scratch buffers for {@link newtonSchulz}, sized for the largest block once. */
export interface NewtonSchulzScratch {
  x: Float64Array;
  y: Float64Array;
  gram: Float64Array;
  poly: Float64Array;
}

export function newtonSchulzScratch(rows: number, cols: number): NewtonSchulzScratch {
  const m = Math.min(rows, cols);
  return {
    x: new Float64Array(rows * cols),
    y: new Float64Array(rows * cols),
    gram: new Float64Array(m * m),
    poly: new Float64Array(m * m),
  };
}

/**
 * Approximate orthogonalisation of the rows x cols matrix at `from[offset..]` (row-major) by
 * Newton-Schulz iterations (Bernstein & Newhouse, 2024; the quintic form of Jordan et al.'s Muon):
 * X_0 = G / max(||G||_F, eps), on the wide orientation (X^T when rows > cols), then `steps` times
 *
 *   A = X X^T,   X <- a X + (b A + c A A) X.
 *
 * With (a, b, c) = (1.5, -0.5, 0) this converges to U V^T of G = U S V^T; Muon's (3.4445,
 * -4.7750, 2.0315) gets singular values into about [0.7, 1.2] in 5 steps. Writes the result over
 * the same range of `to`. Float64 throughout (PyTorch iterates in bfloat16).
 */
export function newtonSchulz(
  from: Float64Array,
  to: Float64Array,
  offset: number,
  rows: number,
  cols: number,
  coefficients: readonly [number, number, number],
  steps: number,
  eps: number,
  scratch: NewtonSchulzScratch,
): void {
  const wide = rows <= cols;
  const m = wide ? rows : cols;
  const n = wide ? cols : rows;
  let x = scratch.x;
  let y = scratch.y;
  const gram = scratch.gram;
  const poly = scratch.poly;
  let norm = 0;
  for (let k = 0; k < rows * cols; k++) norm += from[offset + k]! ** 2;
  const inv = 1 / Math.max(Math.sqrt(norm), eps);
  // x is m x n: the block itself, or its transpose.
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = from[offset + i * cols + j]! * inv;
      if (wide) x[i * n + j] = v;
      else x[j * n + i] = v;
    }
  const [a, b, c] = coefficients;
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += x[i * n + k]! * x[j * n + k]!;
        gram[i * m + j] = dot;
        gram[j * m + i] = dot;
      }
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += gram[i * m + k]! * gram[k * m + j]!;
        poly[i * m + j] = b * gram[i * m + j]! + c * dot;
      }
    for (let i = 0; i < m; i++)
      for (let k = 0; k < n; k++) {
        let dot = 0;
        for (let j = 0; j < m; j++) dot += poly[i * m + j]! * x[j * n + k]!;
        y[i * n + k] = a * x[i * n + k]! + dot;
      }
    const t = x;
    x = y;
    y = t;
  }
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) to[offset + i * cols + j] = wide ? x[i * n + j]! : x[j * n + i]!;
}
