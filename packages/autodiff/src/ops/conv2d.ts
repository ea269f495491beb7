import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './binary.js';
import { matmul } from './matmul.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { gatherOrFill, pair, windowMap } from './window-map.js';

/** Options of {@link conv2d}: PyTorch's `F.conv2d` arguments (one number or [height, width]). */
export interface Conv2dOptions {
  readonly bias?: Tensor;
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number];
  readonly dilation?: number | readonly [number, number];
}

/**
 * 2-D cross-correlation as PyTorch's `conv2d`: x [n, c, h, w], weight [o, c, kh, kw], bias [o]
 * -> [n, o, oh, ow], zero padding. Computed as im2col (a gather of every window, zeros in the
 * padding) and one matrix product with the weight, so its gradient is the gradients of those
 * two operations: the window gather's backward is col2im.
 */
export function conv2d(x: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  if (x.rank !== 4 || weight.rank !== 4 || x.shape[1] !== weight.shape[1]) {
    throw new RangeError(
      `conv2d: input ${formatShape(x.shape)} must be [n, c, h, w] and weight ${formatShape(weight.shape)} [o, c, kh, kw] with the same c`,
    );
  }
  const [n, c] = x.shape as [number, number];
  const [o, , kh, kw] = weight.shape as [number, number, number, number];
  const window = {
    kernel: [kh, kw] as const,
    stride: pair('conv2d', 'stride', options.stride, 1, 1),
    padding: pair('conv2d', 'padding', options.padding, 0, 0),
    dilation: pair('conv2d', 'dilation', options.dilation, 1, 1),
  };
  const { map, oh, ow } = windowMap(x.shape, window);
  if (oh < 1 || ow < 1)
    throw new RangeError(
      `conv2d: the kernel does not fit the input ${formatShape(x.shape)} (output ${oh} x ${ow})`,
    );
  const cols = gatherOrFill(x, [n, oh * ow, c * kh * kw], map, 0);
  const y = matmul(cols, reshape(weight, [o, c * kh * kw]), { transposeB: true }); // [n, oh ow, o]
  const out = reshape(transpose(y, [0, 2, 1]), [n, o, oh, ow]);
  if (options.bias === undefined) return out;
  if (options.bias.size !== o)
    throw new RangeError(`conv2d: bias has ${options.bias.size} elements, expected ${o}`);
  return add(out, reshape(options.bias, [o, 1, 1]));
}
