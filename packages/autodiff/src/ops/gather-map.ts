import type { Shape } from '../shape.js';
import { allocate, gradOf, type Tensor } from '../tensor.js';
import { result } from './result.js';

/**
 * out[i] = x[map[i]]: the forward of every pure data movement (transpose, slice, gather);
 * backward scatters the gradient back, gx[map[i]] += g[i] (indices read twice get both shares).
 */
export function gatherByMap(x: Tensor, shape: Shape, map: Int32Array): Tensor {
  const n = map.length;
  const out = allocate(x.dtype, n);
  const xd = x.data;
  const forward = (): void => {
    for (let i = 0; i < n; i++) out[i] = xd[map[i]!]!;
  };
  forward();
  return result(
    out,
    shape,
    [x],
    (g) => {
      const gx = gradOf(x);
      for (let i = 0; i < n; i++) gx[map[i]!]! += g[i]!;
    },
    forward,
  );
}
