import {
  type GemmCall,
  gemmCall,
  type KernelArena,
  type KernelArray,
  type KernelDType,
  type KernelSet,
  type Matrix,
  type Vector,
} from '@downhill/core';
import type { Loss } from '../losses/loss.js';
import { type ActivationName, activationBackward, activationForward } from './activation.js';

export interface KernelMlpPassOptions<D extends KernelDType> {
  readonly sizes: readonly number[];
  readonly wOffsets: readonly number[];
  readonly bOffsets: readonly number[];
  readonly activation: ActivationName;
  readonly slope: number;
  readonly loss: Loss;
  readonly kernels: KernelSet<D>;
}

/** The MLP's forward and backward passes run on a kernel set (see mlp's `kernels` option). */
export interface KernelMlpPass {
  /** The output layer's Z for `x` (rows x outputs, float64); the pass's own buffer. */
  forward(params: Vector, x: Matrix): Float64Array;
  /** Mean loss; the gradient written into `grad` (overwritten) when it is given. */
  lossAndGradient(params: Vector, x: Matrix, y: Matrix, grad?: Vector): number;
}

interface Buffers<T> {
  readonly rows: number;
  readonly x: T;
  /** The whole parameter vector and gradient in the set's type: w and b (gw and gb) are views of them. */
  readonly params: T;
  readonly grad: T;
  readonly w: T[];
  readonly b: T[];
  readonly gw: T[];
  readonly gb: T[];
  readonly z: T[];
  readonly a: T[];
  readonly d: T[];
}

/**
 * Forward: Z_l = A_{l-1} W_l^T (NT product) + b_l (fused bias pass), A_l = f(Z_l). Backward:
 * dW_l = dZ_l^T A_{l-1} (TN), db_l = column sums of dZ_l, dA_{l-1} = dZ_l W_l (NN), times
 * f'(Z_{l-1}). Every operand lives in one arena of the kernel set, so the WebAssembly kernels
 * read it in place: per call the parameters are written into the arena once (rounded to the
 * set's type: float32 compute keeps float64 master parameters, as mixed-precision training
 * does) and the batch's x is copied in once; the loss and its gradient with respect to the
 * outputs are computed in float64 (rows x outputs values), and the parameter gradient is read
 * back into the float64 gradient vector. The arena is sized for the largest batch seen and
 * replaced only when a bigger one arrives.
 */
export function kernelMlpPass<D extends KernelDType>(options: KernelMlpPassOptions<D>): KernelMlpPass {
  const { sizes, wOffsets, bOffsets, activation, slope, loss, kernels } = options;
  type T = KernelArray<D>;
  const layers = sizes.length - 1;
  const inputs = sizes[0]!;
  const outputs = sizes[layers]!;
  const dimension = bOffsets[layers - 1]! + outputs;
  let buffers: Buffers<T> | undefined;
  let out64 = new Float64Array(0);
  let dOut64 = new Float64Array(0);
  let call: GemmCall<T> | undefined;

  function ensure(rows: number): Buffers<T> {
    if (buffers !== undefined && buffers.rows >= rows) return buffers;
    const cap = Math.max(rows, 1);
    let length = cap * inputs + 4;
    for (let l = 1; l <= layers; l++)
      length += 2 * (sizes[l]! * sizes[l - 1]! + sizes[l]!) + 3 * cap * sizes[l]! + 20;
    const arena: KernelArena<T> = kernels.arena(length);
    const list = (size: (l: number) => number): T[] => {
      const out: T[] = [];
      for (let l = 1; l <= layers; l++) out.push(arena.take(size(l)));
      return out;
    };
    // Parameters and gradient as one block each, laid out as the float64 vector: one conversion
    // (TypedArray.set) per call each way. Views of it need not be 16-byte aligned (the kernels
    // load with align=4).
    const params = arena.take(dimension);
    const grad = arena.take(dimension);
    const view = (block: T, offsets: readonly number[], size: (l: number) => number): T[] => {
      const out: T[] = [];
      for (let l = 1; l <= layers; l++)
        out.push(block.subarray(offsets[l - 1]!, offsets[l - 1]! + size(l)) as T);
      return out;
    };
    const weights = (l: number) => sizes[l]! * sizes[l - 1]!;
    const biases = (l: number) => sizes[l]!;
    buffers = {
      rows: cap,
      x: arena.take(cap * inputs),
      params,
      grad,
      w: view(params, wOffsets, weights),
      b: view(params, bOffsets, biases),
      gw: view(grad, wOffsets, weights),
      gb: view(grad, bOffsets, biases),
      z: list((l) => cap * sizes[l]!),
      a: list((l) => cap * sizes[l]!),
      d: list((l) => cap * sizes[l]!),
    };
    out64 = new Float64Array(cap * outputs);
    dOut64 = new Float64Array(cap * outputs);
    call = gemmCall(buffers.x);
    return buffers;
  }

  function product(
    m: number,
    n: number,
    k: number,
    a: T,
    lda: number,
    transA: boolean,
    b: T,
    ldb: number,
    transB: boolean,
    c: T,
  ): void {
    const g = call!;
    g.m = m;
    g.n = n;
    g.k = k;
    g.a = a;
    g.lda = lda;
    g.transA = transA;
    g.b = b;
    g.ldb = ldb;
    g.transB = transB;
    g.c = c;
    g.ldc = n;
    g.accumulate = false;
    kernels.gemm(g);
  }

  function load(params: Vector, x: Matrix): Buffers<T> {
    const buf = ensure(x.rows);
    const n = x.rows * inputs;
    const src = x.data;
    // Batches are usually exactly rows x inputs long (loader views): no subarray to make then.
    if (src.length === n) buf.x.set(src);
    else buf.x.set(src.subarray(0, n));
    buf.params.set(params);
    return buf;
  }

  /** Runs the forward pass on loaded buffers; returns the output layer's Z. */
  function run(buf: Buffers<T>, rows: number): T {
    let input = buf.x;
    for (let l = 1; l <= layers; l++) {
      const n = sizes[l]!;
      const z = buf.z[l - 1]!;
      product(rows, n, sizes[l - 1]!, input, sizes[l - 1]!, false, buf.w[l - 1]!, sizes[l - 1]!, true, z);
      kernels.addRowVector(z, 0, rows, n, buf.b[l - 1]!, 0);
      if (l === layers) return z;
      const a = buf.a[l - 1]!;
      if (activation === 'relu') kernels.relu(z, a, rows * n);
      else activationForward(activation, slope, z, a, rows * n);
      input = a;
    }
    throw new Error('unreachable');
  }

  function outputsOf(z: T, rows: number): Float64Array {
    const n = rows * outputs;
    for (let i = 0; i < n; i++) out64[i] = z[i]!;
    return out64;
  }

  return {
    forward(params, x) {
      const buf = load(params, x);
      return outputsOf(run(buf, x.rows), x.rows);
    },
    lossAndGradient(params, x, y, grad) {
      const rows = x.rows;
      const buf = load(params, x);
      const out = outputsOf(run(buf, rows), rows);
      if (grad === undefined) return loss.evaluate(out, outputs, y);
      const value = loss.evaluate(out, outputs, y, dOut64);
      const dLast = buf.d[layers - 1]!;
      for (let i = 0; i < rows * outputs; i++) dLast[i] = dOut64[i]!;
      for (let l = layers; l >= 1; l--) {
        const n = sizes[l]!;
        const nIn = sizes[l - 1]!;
        const d = buf.d[l - 1]!;
        const input = l === 1 ? buf.x : buf.a[l - 2]!;
        product(n, nIn, rows, d, n, true, input, nIn, false, buf.gw[l - 1]!);
        kernels.columnSums(d, 0, rows, n, buf.gb[l - 1]!, 0);
        if (l > 1) {
          const dPrev = buf.d[l - 2]!;
          product(rows, nIn, n, d, n, false, buf.w[l - 1]!, nIn, false, dPrev);
          if (activation === 'relu') kernels.reluBackward(buf.z[l - 2]!, dPrev, rows * nIn);
          else activationBackward(activation, slope, buf.z[l - 2]!, buf.a[l - 2]!, dPrev, rows * nIn);
        }
      }
      grad.set(buf.grad);
      return value;
    },
  };
}
