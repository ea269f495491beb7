import { broadcastIndex, broadcastShapes, sizeOf } from '../shape.js';
import { allocate, gradOf, type Tensor, type TensorData } from '../tensor.js';
import { dtypeOf, lift, result, type TensorLike } from './result.js';

type Fast = (
  x: Tensor,
  y: Tensor,
  shape: number[],
  ix: Int32Array | undefined,
  iy: Int32Array | undefined,
  out: TensorData,
) => Tensor;

/**
 * The same operations as the generic path (same formulas and derivatives as their entries
 * below), written as plain loops: add, sub and mul run on every step of every model, where a call
 * per element through the generic path's closures costs more than the arithmetic.
 */
function fastPath(sign: 1 | -1 | 0): Fast {
  return (x, y, shape, ix, iy, out) => {
    const xd = x.data;
    const yd = y.data;
    const n = out.length;
    const forward = (): void => {
      if (sign === 0)
        for (let i = 0; i < n; i++)
          out[i] = xd[ix === undefined ? i : ix[i]!]! * yd[iy === undefined ? i : iy[i]!]!;
      else if (sign === 1)
        for (let i = 0; i < n; i++)
          out[i] = xd[ix === undefined ? i : ix[i]!]! + yd[iy === undefined ? i : iy[i]!]!;
      else
        for (let i = 0; i < n; i++)
          out[i] = xd[ix === undefined ? i : ix[i]!]! - yd[iy === undefined ? i : iy[i]!]!;
    };
    forward();
    return result(
      out,
      shape,
      [x, y],
      (g) => {
        if (x.requiresGrad) {
          const gx = gradOf(x);
          // d(x + y)/dx = d(x - y)/dx = 1; d(x y)/dx = y.
          if (sign === 0)
            for (let i = 0; i < n; i++)
              gx[ix === undefined ? i : ix[i]!]! += g[i]! * yd[iy === undefined ? i : iy[i]!]!;
          else for (let i = 0; i < n; i++) gx[ix === undefined ? i : ix[i]!]! += g[i]!;
        }
        if (y.requiresGrad) {
          const gy = gradOf(y);
          // d(x + y)/dy = 1; d(x - y)/dy = -1; d(x y)/dy = x.
          if (sign === 0)
            for (let i = 0; i < n; i++)
              gy[iy === undefined ? i : iy[i]!]! += g[i]! * xd[ix === undefined ? i : ix[i]!]!;
          else if (sign === 1) for (let i = 0; i < n; i++) gy[iy === undefined ? i : iy[i]!]! += g[i]!;
          else for (let i = 0; i < n; i++) gy[iy === undefined ? i : iy[i]!]! -= g[i]!;
        }
      },
      forward,
    );
  };
}

const FAST: Readonly<Record<string, Fast>> = { add: fastPath(1), sub: fastPath(-1), mul: fastPath(0) };

type Index = Int32Array | undefined;
type Forward = (xd: TensorData, yd: TensorData, ix: Index, iy: Index, out: TensorData, n: number) => void;
/** Adds the partial derivative times g to gx (when given) and gy (when given), element by element. */
type Backward = (
  xd: TensorData,
  yd: TensorData,
  ix: Index,
  iy: Index,
  out: TensorData,
  g: TensorData,
  gx: TensorData | undefined,
  gy: TensorData | undefined,
  n: number,
) => void;

/**
 * z = f(x, y) element-wise with NumPy broadcasting. Each operation below writes its forward loop
 * and, beside it, its backward loop with the partial derivatives (separate loops per operation: a
 * per-element call V8 cannot inline would box every double it returns). A broadcast input gets the
 * sum of the gradient over the positions that read it (accumulated through the same index map the
 * forward read with).
 */
function binary(
  op: string,
  a: TensorLike,
  b: TensorLike,
  forwardLoop?: Forward,
  backwardLoop?: Backward,
): Tensor {
  const dtype = dtypeOf(a, b);
  const x = lift(a, dtype);
  const y = lift(b, dtype);
  const shape = broadcastShapes(op, x.shape, y.shape);
  const n = sizeOf(shape);
  const ix = broadcastIndex(x.shape, shape);
  const iy = broadcastIndex(y.shape, shape);
  const xd = x.data;
  const yd = y.data;
  const out = allocate(dtype, n);
  const fast = FAST[op];
  if (fast !== undefined) return fast(x, y, shape, ix, iy, out);
  const forward = (): void => forwardLoop!(xd, yd, ix, iy, out, n);
  forward();
  return result(
    out,
    shape,
    [x, y],
    (g) =>
      backwardLoop!(
        xd,
        yd,
        ix,
        iy,
        out,
        g,
        x.requiresGrad ? gradOf(x) : undefined,
        y.requiresGrad ? gradOf(y) : undefined,
        n,
      ),
    forward,
  );
}

/** x + y; d/dx = 1, d/dy = 1 (the fast path above). */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);

/** x - y; d/dx = 1, d/dy = -1 (the fast path above). */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);

/** x y; d/dx = y, d/dy = x (the fast path above). */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);

/** x / y; d/dx = 1 / y, d/dy = -x / y^2. */
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'div',
    a,
    b,
    (xd, yd, ix, iy, out, n) => {
      for (let i = 0; i < n; i++)
        out[i] = xd[ix === undefined ? i : ix[i]!]! / yd[iy === undefined ? i : iy[i]!]!;
    },
    (xd, yd, ix, iy, _, g, gx, gy, n) => {
      for (let i = 0; i < n; i++) {
        const jx = ix === undefined ? i : ix[i]!;
        const jy = iy === undefined ? i : iy[i]!;
        const xv = xd[jx]!;
        const yv = yd[jy]!;
        if (gx !== undefined) gx[jx]! += g[i]! * (1 / yv);
        if (gy !== undefined) gy[jy]! += g[i]! * (-xv / (yv * yv));
      }
    },
  );

/**
 * x^y; d/dx = y x^(y-1) (0 for y = 0), d/dy = x^y ln x (0 where x = 0, as PyTorch, instead of
 * 0 * -inf).
 */
export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'pow',
    a,
    b,
    (xd, yd, ix, iy, out, n) => {
      for (let i = 0; i < n; i++)
        out[i] = xd[ix === undefined ? i : ix[i]!]! ** yd[iy === undefined ? i : iy[i]!]!;
    },
    (xd, yd, ix, iy, out, g, gx, gy, n) => {
      for (let i = 0; i < n; i++) {
        const jx = ix === undefined ? i : ix[i]!;
        const jy = iy === undefined ? i : iy[i]!;
        const xv = xd[jx]!;
        const yv = yd[jy]!;
        if (gx !== undefined) gx[jx]! += g[i]! * (yv === 0 ? 0 : yv * xv ** (yv - 1));
        if (gy !== undefined) gy[jy]! += g[i]! * (xv === 0 ? 0 : out[i]! * Math.log(xv));
      }
    },
  );

/** max(x, y); the gradient goes to the larger input, half to each on a tie (as PyTorch). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'maximum',
    a,
    b,
    (xd, yd, ix, iy, out, n) => {
      for (let i = 0; i < n; i++)
        out[i] = Math.max(xd[ix === undefined ? i : ix[i]!]!, yd[iy === undefined ? i : iy[i]!]!);
    },
    (xd, yd, ix, iy, _, g, gx, gy, n) => {
      for (let i = 0; i < n; i++) {
        const jx = ix === undefined ? i : ix[i]!;
        const jy = iy === undefined ? i : iy[i]!;
        const xv = xd[jx]!;
        const yv = yd[jy]!;
        if (gx !== undefined) gx[jx]! += g[i]! * (xv > yv ? 1 : xv === yv ? 0.5 : 0);
        if (gy !== undefined) gy[jy]! += g[i]! * (yv > xv ? 1 : xv === yv ? 0.5 : 0);
      }
    },
  );

/** min(x, y); the gradient goes to the smaller input, half to each on a tie (as PyTorch). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'minimum',
    a,
    b,
    (xd, yd, ix, iy, out, n) => {
      for (let i = 0; i < n; i++)
        out[i] = Math.min(xd[ix === undefined ? i : ix[i]!]!, yd[iy === undefined ? i : iy[i]!]!);
    },
    (xd, yd, ix, iy, _, g, gx, gy, n) => {
      for (let i = 0; i < n; i++) {
        const jx = ix === undefined ? i : ix[i]!;
        const jy = iy === undefined ? i : iy[i]!;
        const xv = xd[jx]!;
        const yv = yd[jy]!;
        if (gx !== undefined) gx[jx]! += g[i]! * (xv < yv ? 1 : xv === yv ? 0.5 : 0);
        if (gy !== undefined) gy[jy]! += g[i]! * (yv < xv ? 1 : xv === yv ? 0.5 : 0);
      }
    },
  );
