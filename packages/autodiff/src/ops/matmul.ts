import { type GemmCall, gemmCall, jsKernelSet, type KernelSet } from '@downhill/core';
import { broadcastIndex, broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { allocate, type DType, gradOf, type Tensor, type TensorData } from '../tensor.js';
import { cast } from './cast.js';
import { reshape } from './reshape.js';
import { promote, result } from './result.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /**
   * Kernel set for the products (the seam of @downhill/core); default the JavaScript set of the
   * operands' type. A WebAssembly set needs operands in its own arena, which tensors are not.
   */
  readonly kernels?: KernelSet;
}

const defaults: { [D in DType]?: KernelSet<D> } = {};
function kernelsFor(dtype: DType): KernelSet {
  const found = defaults[dtype];
  if (found !== undefined) return found;
  const made = jsKernelSet(dtype);
  (defaults as Record<DType, KernelSet>)[dtype] = made;
  return made;
}

/**
 * Matrix product with NumPy's rules: `[..., m, k] @ [..., k, n] -> [..., m, n]` with the batch
 * axes broadcast; a 1-D operand is a row (left) or column (right) vector whose axis is dropped
 * from the result. Backward, per batch element: dA += G B^T and dB += A^T G, accumulated in place
 * by the kernels, so a broadcast operand sums its gradient over the batch.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  if (a.rank === 0 || b.rank === 0) throw new RangeError('matmul: operands must have at least one axis');
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
  const m = x.shape[x.rank - 2]!;
  const k = x.shape[x.rank - 1]!;
  const n = y.shape[y.rank - 1]!;
  if (y.shape[y.rank - 2] !== k) {
    throw new RangeError(
      `matmul: inner extents differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)} (${k} vs ${y.shape[y.rank - 2]})`,
    );
  }
  const kernels = options.kernels ?? kernelsFor(dtype);
  if (kernels.dtype !== dtype)
    throw new RangeError(
      `matmul: kernel set ${kernels.name} computes ${kernels.dtype}, the operands are ${dtype}`,
    );
  const batchShape = broadcastShapes('matmul', x.shape.slice(0, -2), y.shape.slice(0, -2));
  const batches = sizeOf(batchShape);
  const ix = broadcastIndex(x.shape.slice(0, -2), batchShape);
  const iy = broadcastIndex(y.shape.slice(0, -2), batchShape);
  const out = allocate(dtype, batches * m * n);
  const call = gemmCall<TensorData>(out) as GemmCall<TensorData>;
  const run = (
    fields: Pick<
      GemmCall<TensorData>,
      | 'm'
      | 'n'
      | 'k'
      | 'a'
      | 'aOffset'
      | 'lda'
      | 'transA'
      | 'b'
      | 'bOffset'
      | 'ldb'
      | 'transB'
      | 'c'
      | 'cOffset'
      | 'ldc'
      | 'accumulate'
    >,
  ): void => {
    Object.assign(call, fields);
    (kernels.gemm as (c: GemmCall<TensorData>) => void)(call);
  };
  const xAt = (t: number) => (ix === undefined ? t : ix[t]!) * m * k;
  const yAt = (t: number) => (iy === undefined ? t : iy[t]!) * k * n;
  for (let t = 0; t < batches; t++) {
    run({
      m,
      n,
      k,
      a: x.data,
      aOffset: xAt(t),
      lda: k,
      transA: false,
      b: y.data,
      bOffset: yAt(t),
      ldb: n,
      transB: false,
      c: out,
      cOffset: t * m * n,
      ldc: n,
      accumulate: false,
    });
  }
  return result(out, [...batchShape, m, n], [x, y], (g) => {
    for (let t = 0; t < batches; t++) {
      // dA (m x k) += G (m x n) B^T (n x k)
      if (x.requiresGrad) {
        run({
          m,
          n: k,
          k: n,
          a: g,
          aOffset: t * m * n,
          lda: n,
          transA: false,
          b: y.data,
          bOffset: yAt(t),
          ldb: n,
          transB: true,
          c: gradOf(x),
          cOffset: xAt(t),
          ldc: k,
          accumulate: true,
        });
      }
      // dB (k x n) += A^T (k x m) G (m x n)
      if (y.requiresGrad) {
        run({
          m: k,
          n,
          k: m,
          a: x.data,
          aOffset: xAt(t),
          lda: k,
          transA: true,
          b: g,
          bOffset: t * m * n,
          ldb: n,
          transB: false,
          c: gradOf(y),
          cOffset: yAt(t),
          ldc: n,
          accumulate: true,
        });
      }
    }
  });
}
