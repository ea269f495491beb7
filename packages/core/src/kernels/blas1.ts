// Level-1 kernels over typed arrays. Loops are unrolled by four with independent accumulators:
// on V8 a single accumulator chains every addition and reads at about a quarter of memory speed.
// None of them allocates.

type Vec = Float64Array | Float32Array;

function checkLengths(name: string, a: Vec, b: Vec): void {
  if (a.length !== b.length) throw new RangeError(`${name}: length mismatch (${a.length} vs ${b.length})`);
}

/** sum_i x[i] * y[i] */
export function dot(x: Vec, y: Vec): number {
  checkLengths('dot', x, y);
  const n = x.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i]! * y[i]!;
    s1 += x[i + 1]! * y[i + 1]!;
    s2 += x[i + 2]! * y[i + 2]!;
    s3 += x[i + 3]! * y[i + 3]!;
  }
  for (; i < n; i++) s0 += x[i]! * y[i]!;
  return s0 + s1 + (s2 + s3);
}

/** y += alpha * x */
export function axpy(alpha: number, x: Vec, y: Vec): void {
  checkLengths('axpy', x, y);
  const n = x.length;
  for (let i = 0; i < n; i++) y[i]! += alpha * x[i]!;
}

/** x *= alpha */
export function scale(alpha: number, x: Vec): void {
  const n = x.length;
  for (let i = 0; i < n; i++) x[i]! *= alpha;
}

/** sum_i x[i]^2 */
export function sumOfSquares(x: Vec): number {
  const n = x.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = x[i]!;
    const b = x[i + 1]!;
    const c = x[i + 2]!;
    const d = x[i + 3]!;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; i < n; i++) s0 += x[i]! * x[i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Euclidean norm. Plain sqrt(sum of squares) would overflow to Infinity for entries above ~1e154,
 * so when it does the norm is recomputed with scaling by the largest magnitude.
 */
export function norm2(x: Vec): number {
  const ss = sumOfSquares(x);
  if (Number.isFinite(ss) && ss > 1e-290) return Math.sqrt(ss);
  const m = normInf(x);
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! / m;
    s += v * v;
  }
  return m * Math.sqrt(s);
}

/** max_i |x[i]| (NaN if any entry is NaN) */
export function normInf(x: Vec): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m || Number.isNaN(a)) m = a;
    if (Number.isNaN(m)) return m;
  }
  return m;
}

/** sum_i |x[i]| */
export function norm1(x: Vec): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]!);
  return s;
}

/** True when no entry is NaN or infinite. */
export function allFinite(x: Vec): boolean {
  // x * 0 is 0 for finite x and NaN for NaN or +-Infinity: one comparison per element.
  let acc = 0;
  for (let i = 0; i < x.length; i++) acc += x[i]! * 0;
  return acc === 0;
}
