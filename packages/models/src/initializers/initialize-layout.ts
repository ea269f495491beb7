import type { Rng } from '@downhill/core';
import type { InitializeOptions, ParameterBlock } from '../models/model.js';
import { zeros } from './basic-initializers.js';
import type { Initializer } from './initializer.js';

/**
 * Fills a new parameter vector block by block: weight blocks with `options.weights` (fanIn = the
 * block's columns, fanOut = its rows), bias blocks with `options.biases` (zeros by default).
 */
export function initializeLayout(
  layout: readonly ParameterBlock[],
  dimension: number,
  rng: Rng,
  defaultWeights: Initializer,
  options: InitializeOptions = {},
): Float64Array {
  const params = new Float64Array(dimension);
  const weights = options.weights ?? defaultWeights;
  const biases = options.biases ?? zeros;
  for (const block of layout) {
    const view = params.subarray(block.offset, block.offset + block.rows * block.cols);
    const fans = { fanIn: block.cols, fanOut: block.rows };
    (block.kind === 'weight' ? weights : biases).fill(view, fans, rng);
  }
  return params;
}
