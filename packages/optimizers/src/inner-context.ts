import type { UpdateContext } from '@downhill/core';

/** A reusable context a wrapper hands to its inner transform (one per wrapper, never per step). */
export interface InnerContext {
  step: number;
  loss: number;
  overrides: Record<string, number>;
  current: Record<string, number>;
  /** The run loop's second evaluation (SAM inside accumulation or SWA still gets its closure). */
  evaluate?: UpdateContext['evaluate'];
}

export function innerContext(): InnerContext {
  return { step: 0, loss: Number.NaN, overrides: {}, current: {} };
}

/** Points `inner` at `outer`'s records, with its own step count. */
export function forward(inner: InnerContext, outer: UpdateContext, step: number): UpdateContext {
  inner.step = step;
  inner.loss = outer.loss;
  inner.overrides = outer.overrides;
  inner.current = outer.current;
  inner.evaluate = outer.evaluate;
  return inner;
}
