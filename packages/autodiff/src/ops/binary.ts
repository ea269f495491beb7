import { broadcastIndex, broadcastShapes, sizeOf } from '../shape.js';
import { allocate, gradOf, type Tensor, type TensorData } from '../tensor.js';
import { dtypeOf, lift, result, type TensorLike } from './result.js';

type Partial = (x: number, y: number, out: number) => number;

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

/**
 * z = f(x, y) element-wise with NumPy broadcasting; `dx` and `dy` are the partial derivatives,
 * written beside each forward below. A broadcast input gets the sum of the gradient over the
 * positions that read it (accumulated through the same index map the forward read with).
 */
function binary(
  op: string,
  a: TensorLike,
  b: TensorLike,
  f: (x: number, y: number) => number,
  dx: Partial,
  dy: Partial,
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
  const forward = (): void => {
    for (let i = 0; i < n; i++)
      out[i] = f(xd[ix === undefined ? i : ix[i]!]!, yd[iy === undefined ? i : iy[i]!]!);
  };
  forward();
  return result(
    out,
    shape,
    [x, y],
    (g) => {
      const gx = x.requiresGrad ? gradOf(x) : undefined;
      const gy = y.requiresGrad ? gradOf(y) : undefined;
      for (let i = 0; i < n; i++) {
        const jx = ix === undefined ? i : ix[i]!;
        const jy = iy === undefined ? i : iy[i]!;
        const xv = xd[jx]!;
        const yv = yd[jy]!;
        if (gx !== undefined) gx[jx]! += g[i]! * dx(xv, yv, out[i]!);
        if (gy !== undefined) gy[jy]! += g[i]! * dy(xv, yv, out[i]!);
      }
    },
    forward,
  );
}

/** x + y; d/dx = 1, d/dy = 1. */
export const add = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'add',
    a,
    b,
    (x, y) => x + y,
    () => 1,
    () => 1,
  );

/** x - y; d/dx = 1, d/dy = -1. */
export const sub = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'sub',
    a,
    b,
    (x, y) => x - y,
    () => 1,
    () => -1,
  );

/** x y; d/dx = y, d/dy = x. */
export const mul = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'mul',
    a,
    b,
    (x, y) => x * y,
    (_, y) => y,
    (x) => x,
  );

/** x / y; d/dx = 1 / y, d/dy = -x / y^2. */
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'div',
    a,
    b,
    (x, y) => x / y,
    (_, y) => 1 / y,
    (x, y) => -x / (y * y),
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
    (x, y) => x ** y,
    (x, y) => (y === 0 ? 0 : y * x ** (y - 1)),
    (x, _, out) => (x === 0 ? 0 : out * Math.log(x)),
  );

/** max(x, y); the gradient goes to the larger input, half to each on a tie (as PyTorch). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'maximum',
    a,
    b,
    (x, y) => Math.max(x, y),
    (x, y) => (x > y ? 1 : x === y ? 0.5 : 0),
    (x, y) => (y > x ? 1 : x === y ? 0.5 : 0),
  );

/** min(x, y); the gradient goes to the smaller input, half to each on a tie (as PyTorch). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'minimum',
    a,
    b,
    (x, y) => Math.min(x, y),
    (x, y) => (x < y ? 1 : x === y ? 0.5 : 0),
    (x, y) => (y < x ? 1 : x === y ? 0.5 : 0),
  );
