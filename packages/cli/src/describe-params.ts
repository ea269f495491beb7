import type { Model } from '@downhill/models';
import { formatNumber } from './format-progress.js';

/**
 * The parameters laid out by the model's blocks, e.g. `weights [5.01] bias [2.98]`; long blocks
 * are cut after `limit` values.
 */
export function describeParams(model: Pick<Model, 'layout'>, params: ArrayLike<number>, limit = 8): string {
  return model.layout
    .map((block) => {
      const size = block.rows * block.cols;
      const shown: string[] = [];
      for (let i = 0; i < Math.min(size, limit); i++) shown.push(formatNumber(params[block.offset + i]!));
      if (size > limit) shown.push(`... (${size} values)`);
      return `${block.name} [${shown.join(', ')}]`;
    })
    .join(' ');
}
