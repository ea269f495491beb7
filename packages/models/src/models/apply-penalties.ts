import type { Vector } from '@downhill/core';
import type { Penalty } from '../losses/penalty.js';
import type { ParameterBlock } from './model.js';

/** Adds every penalty over every weight block (never biases); returns the total added cost. */
export function applyPenalties(
  penalties: readonly Penalty[],
  layout: readonly ParameterBlock[],
  params: Vector,
  grad: Vector | undefined,
): number {
  let total = 0;
  for (const penalty of penalties) {
    for (const block of layout) {
      if (block.kind !== 'weight') continue;
      total += penalty.apply(params, block.offset, block.offset + block.rows * block.cols, grad);
    }
  }
  return total;
}
