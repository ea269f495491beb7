import type { Optimizer } from '@downhill/core';

/** State shared by the parameter-averaging wrappers. */
export interface AveragingState<S> {
  inner: S;
  /** The averaged parameters (meaningful once `averaged > 0`). */
  average: Float64Array;
  /** Number of parameter vectors averaged so far (0: none yet). */
  averaged: number;
}

/** An optimizer that also keeps an average of the parameters it produces. */
export interface AveragingOptimizer<S> extends Optimizer<AveragingState<S>> {
  /**
   * The averaged parameters of the state this optimizer updated last (a live view: copy it to keep
   * it), or `undefined` before any averaging. For evaluation during a run, e.g. in `spec.metrics`;
   * with several concurrent runs of one optimizer object, use {@link averagedParams} on a state.
   */
  averagedParams(): Float64Array | undefined;
}

/**
 * The averaged parameters held in an SWA or EMA state (for example the `optimizerState` of a run's
 * `end` event after `deserializeState`), or `undefined` before any averaging. Searches chains and
 * wrappers, so the averaging wrapper may sit anywhere in the state tree.
 */
export function averagedParams(state: unknown): Float64Array | undefined {
  if (state === null || typeof state !== 'object') return undefined;
  const s = state as Partial<AveragingState<unknown>>;
  if (s.average instanceof Float64Array && typeof s.averaged === 'number')
    return s.averaged > 0 ? s.average : undefined;
  const children = Array.isArray(state) ? state : [s.inner];
  for (const child of children) {
    const found = averagedParams(child);
    if (found) return found;
  }
  return undefined;
}
