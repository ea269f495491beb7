import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { max, mean } from './reduce.js';
import { gatherOrFill, pair, windowMap } from './window-map.js';

/** Options of the 2-D poolings: window size, stride (default the window), padding. */
export interface Pool2dOptions {
  readonly kernel: number | readonly [number, number];
  readonly stride?: number | readonly [number, number];
  readonly padding?: number | readonly [number, number];
}

function pool(op: string, x: Tensor, options: Pool2dOptions, fill: number, reduce: typeof max): Tensor {
  if (x.rank !== 4) throw new RangeError(`${op}: input must be [n, c, h, w], got ${formatShape(x.shape)}`);
  const kernel = pair(op, 'kernel', options.kernel, 1, 1);
  const padding = pair(op, 'padding', options.padding, 0, 0);
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1])
    throw new RangeError(`${op}: padding must be at most half the kernel (as PyTorch requires)`);
  const [n, c] = x.shape as [number, number];
  const window = {
    kernel,
    stride: pair(op, 'stride', options.stride ?? options.kernel, 1, 1),
    padding,
    dilation: [1, 1] as const,
  };
  // Windows of each channel alone: treat [n, c] as n c images of one channel.
  const { map, oh, ow } = windowMap([n * c, 1, x.shape[2]!, x.shape[3]!], window);
  if (oh < 1 || ow < 1)
    throw new RangeError(`${op}: the window does not fit the input ${formatShape(x.shape)}`);
  const windows = gatherOrFill(x, [n, c, oh, ow, kernel[0] * kernel[1]], map, fill);
  return reduce(windows, { axis: 4 });
}

/** Max pooling, PyTorch's `max_pool2d` (padding counts as -infinity); the gradient goes to each window's first maximum. */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  return pool('maxPool2d', x, options, Number.NEGATIVE_INFINITY, max);
}

/** Average pooling, PyTorch's `avg_pool2d` with `count_include_pad=True` (padding counts as zeros in the mean). */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  return pool('avgPool2d', x, options, 0, mean);
}
