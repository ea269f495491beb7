import { type GemmCall, gemmCall, type KernelSet } from '@downhill/core';
import { broadcastIndex, broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { allocate, gradOf, type Tensor, type TensorData } from '../tensor.js';
import { cast } from './cast.js';
import { defaultKernels } from './default-kernels.js';
import { reshape } from './reshape.js';
import { promote, result } from './result.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /**
   * Kernel set for the products (the seam of @downhill/core); default the JavaScript set of the
   * operands' type. A WebAssembly set needs operands in its own arena, which tensors are not.
   */
  readonly kernels?: KernelSet;
  /** Multiply by the transpose of `a`'s last two axes without materializing it (TensorFlow.js's `transposeA`). */
  readonly transposeA?: boolean;
  /** Multiply by the transpose of `b`'s last two axes, e.g. `x W^T` for a [out, in] weight, without a copy. */
  readonly transposeB?: boolean;
}

/**
 * Matrix product with NumPy's rules: `[..., m, k] @ [..., k, n] -> [..., m, n]` with the batch
 * axes broadcast; a 1-D operand is a row (left) or column (right) vector whose axis is dropped
 * from the result. `transposeA` / `transposeB` read an operand's last two axes transposed. With
 * op(X) the operand as multiplied, backward per batch element is dop(A) = G op(B)^T and
 * dop(B) = op(A)^T G, each written into the stored layout by choosing the product's transpose
 * form and accumulated in place by the kernels, so a broadcast operand sums its gradient over the batch.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  if (a.rank === 0 || b.rank === 0) throw new RangeError('matmul: operands must have at least one axis');
  const tA = options.transposeA ?? false;
  const tB = options.transposeB ?? false;
  if ((tA && a.rank === 1) || (tB && b.rank === 1))
    throw new RangeError('matmul: a 1-D operand cannot be transposed');
  if (a.rank === 1 || b.rank === 1) {
    const out = matmul(
      a.rank === 1 ? reshape(a, [1, a.size]) : a,
      b.rank === 1 ? reshape(b, [b.size, 1]) : b,
      options,
    );
    const shape = [...out.shape];
    if (b.rank === 1) shape.pop();
    if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
    return reshape(out, shape);
  }
  const dtype = promote(a, b);
  const x = cast(a, dtype);
  const y = cast(b, dtype);
  const [ar, ac] = [x.shape[x.rank - 2]!, x.shape[x.rank - 1]!];
  const [br, bc] = [y.shape[y.rank - 2]!, y.shape[y.rank - 1]!];
  const [m, k] = tA ? [ac, ar] : [ar, ac];
  const [kb, n] = tB ? [bc, br] : [br, bc];
  if (kb !== k) {
    throw new RangeError(
      `matmul: inner extents differ: ${formatShape(a.shape)}${tA ? '^T' : ''} @ ${formatShape(b.shape)}${tB ? '^T' : ''} (${k} vs ${kb})`,
    );
  }
  const kernels = options.kernels ?? defaultKernels(dtype);
  if (kernels.dtype !== dtype)
    throw new RangeError(
      `matmul: kernel set ${kernels.name} computes ${kernels.dtype}, the operands are ${dtype}`,
    );
  const batchShape = broadcastShapes('matmul', x.shape.slice(0, -2), y.shape.slice(0, -2));
  const batches = sizeOf(batchShape);
  const ix = broadcastIndex(x.shape.slice(0, -2), batchShape);
  const iy = broadcastIndex(y.shape.slice(0, -2), batchShape);
  const out = allocate(dtype, batches * m * n);
  const call = gemmCall<TensorData>(out);
  const gemm = kernels.gemm as (c: GemmCall<TensorData>) => void;
  const run = (
    fields: Omit<GemmCall<TensorData>, 'aOffset' | 'bOffset' | 'cOffset'>,
    aOffset: number,
    bOffset: number,
    cOffset: number,
  ): void => {
    Object.assign(call, fields);
    call.aOffset = aOffset;
    call.bOffset = bOffset;
    call.cOffset = cOffset;
    gemm(call);
  };
  const lda = ac;
  const ldb = bc;
  const xAt = (t: number) => (ix === undefined ? t : ix[t]!) * m * k;
  const yAt = (t: number) => (iy === undefined ? t : iy[t]!) * k * n;
  const forward = {
    m,
    n,
    k,
    a: x.data,
    lda,
    transA: tA,
    b: y.data,
    ldb,
    transB: tB,
    c: out,
    ldc: n,
    accumulate: false,
  };
  const forwardFn = (): void => {
    for (let t = 0; t < batches; t++) run(forward, xAt(t), yAt(t), t * m * n);
  };
  forwardFn();
  // The backward products' fields, made on the first backward pass and kept (a replayed step
  // passes the same gradient buffers, so they allocate nothing).
  let made: { g: TensorData; dA: typeof forward | undefined; dB: typeof forward | undefined } | undefined;
  const backwardProducts = (g: TensorData) => {
    if (made !== undefined && made.g === g) return made;
    const gx = x.requiresGrad ? gradOf(x) : undefined;
    const gy = y.requiresGrad ? gradOf(y) : undefined;
    // Stored dA: [m, k] = G op(B)^T, or (transposed) [k, m] = op(B) G^T.
    const dA =
      gx === undefined
        ? undefined
        : tA
          ? {
              m: k,
              n: m,
              k: n,
              a: y.data,
              lda: ldb,
              transA: tB,
              b: g,
              ldb: n,
              transB: true,
              c: gx,
              ldc: m,
              accumulate: true,
            }
          : {
              m,
              n: k,
              k: n,
              a: g,
              lda: n,
              transA: false,
              b: y.data,
              ldb,
              transB: !tB,
              c: gx,
              ldc: k,
              accumulate: true,
            };
    // Stored dB: [k, n] = op(A)^T G, or (transposed) [n, k] = G^T op(A).
    const dB =
      gy === undefined
        ? undefined
        : tB
          ? {
              m: n,
              n: k,
              k: m,
              a: g,
              lda: n,
              transA: true,
              b: x.data,
              ldb: lda,
              transB: tA,
              c: gy,
              ldc: k,
              accumulate: true,
            }
          : {
              m: k,
              n,
              k: m,
              a: x.data,
              lda,
              transA: !tA,
              b: g,
              ldb: n,
              transB: false,
              c: gy,
              ldc: n,
              accumulate: true,
            };
    made = { g, dA, dB };
    return made;
  };
  const backwardFn = (g: TensorData): void => {
    const { dA, dB } = backwardProducts(g);
    for (let t = 0; t < batches; t++) {
      if (dA !== undefined) {
        if (tA) run(dA, yAt(t), t * m * n, xAt(t));
        else run(dA, t * m * n, yAt(t), xAt(t));
      }
      if (dB !== undefined) {
        if (tB) run(dB, t * m * n, xAt(t), yAt(t));
        else run(dB, xAt(t), t * m * n, yAt(t));
      }
    }
  };
  return result(out, [...batchShape, m, n], [x, y], backwardFn, forwardFn);
}
