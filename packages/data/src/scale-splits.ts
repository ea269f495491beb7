import type { Dataset } from './dataset.js';
import type { FeatureScaler } from './feature-scaler.js';
import { fitMinMaxScaler } from './fit-min-max-scaler.js';
import { fitStandardScaler } from './fit-standard-scaler.js';

export interface ScaleSplitsOptions {
  /** `standard` (z-score) or `min-max`. */
  readonly method: 'standard' | 'min-max';
  /** Target range of `min-max` (default [0, 1]). */
  readonly range?: readonly [number, number];
  /** Scale the targets too, with a scaler of their own (default false). */
  readonly targets?: boolean;
}

export type ScaledSplits<TParts extends { readonly train: Dataset }> = {
  readonly [K in keyof TParts]: Dataset;
} & {
  /** The scaler fitted on the training inputs. */
  readonly xScaler: FeatureScaler;
  /** The scaler fitted on the training targets, with `targets: true`. */
  readonly yScaler: FeatureScaler | undefined;
};

/**
 * Fits a scaler on `parts.train` only and applies it to every part (train, validation, test, or a
 * k-fold's train and validation), returning scaled copies and the fitted scaler(s).
 */
export function scaleSplits<TParts extends { readonly train: Dataset }>(
  parts: TParts,
  options: ScaleSplitsOptions,
): ScaledSplits<TParts> {
  const fitScaler = (m: Dataset['x']): FeatureScaler =>
    options.method === 'standard'
      ? fitStandardScaler(m)
      : fitMinMaxScaler(m, options.range ? { range: options.range } : {});
  const xScaler = fitScaler(parts.train.x);
  const yScaler = options.targets ? fitScaler(parts.train.y) : undefined;
  const out: Record<string, unknown> = { xScaler, yScaler };
  for (const [key, part] of Object.entries(parts) as [string, Dataset][]) {
    out[key] = {
      ...part,
      x: xScaler.transform(part.x),
      y: yScaler ? yScaler.transform(part.y) : part.y,
    };
  }
  return out as ScaledSplits<TParts>;
}
