import type { Dataset } from '@downhill/data';
import { DataError } from '@downhill/data';
import type { TrainConfig } from './config/train-config.js';

/** The targets a config's model and loss can fit, or `undefined` when any finite value will do. */
function targetRule(
  config: TrainConfig,
): { readonly what: string; readonly ok: (v: number) => boolean; readonly needs: string } | undefined {
  const model = config.model.name;
  const loss = config.loss?.name;
  const classes = config.model.options.classes as number | undefined;
  const output = config.model.options.output as string | undefined;
  const softmax =
    model === 'softmax' ||
    (model === 'mlp' && (output === 'softmax' || (output === undefined && classes !== undefined)));
  if (softmax && classes !== undefined) {
    return {
      what: `the ${model} model's ${classes} classes`,
      ok: (v) => Number.isInteger(v) && v >= 0 && v < classes,
      needs: `class indices 0 to ${classes - 1}`,
    };
  }
  if (model === 'logistic' || loss === 'binary-cross-entropy') {
    return {
      what: `the ${model} model's binary cross-entropy`,
      ok: (v) => v >= 0 && v <= 1,
      needs: 'targets in [0, 1]',
    };
  }
  if (loss === 'hinge') {
    return { what: 'the hinge loss', ok: (v) => v === -1 || v === 1, needs: 'targets -1 or +1' };
  }
  return undefined;
}

/**
 * Refuses, before training, targets the model's loss cannot fit: binary cross-entropy on values
 * outside [0, 1] (a logistic model on targets 31..120 reaches a loss of -148 without a word),
 * class indices out of range for a softmax classifier, hinge targets other than -1 and +1.
 */
export function checkTargets(config: TrainConfig, dataset: Dataset, file: string): void {
  const rule = targetRule(config);
  if (!rule) return;
  const { data, rows, cols } = dataset.y;
  let bad = 0;
  let first = -1;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < rows * cols; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (!rule.ok(v)) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad === 0) return;
  const row = Math.floor(first / cols) + 1;
  const name = dataset.targetNames?.[first % cols];
  throw new DataError(
    `${rule.what} needs ${rule.needs}, but ${bad} of ${rows * cols} targets are not (the first in data row ${row}${name !== undefined ? `, column ${JSON.stringify(name)}` : ''}: ${data[first]}; targets range from ${min} to ${max})`,
    { file },
  );
}
