import { jsKernelSet, type KernelSet } from '@downhill/core';
import type { DType } from '../tensor.js';

const made: { [D in DType]?: KernelSet<D> } = {};
/** The kernel set of the objective being evaluated (see {@link withKernels}). */
let scoped: KernelSet | undefined;

/**
 * The kernel set operations use when a call gives none: the one `withKernels` set for this
 * element type, else core's JavaScript set of the type.
 */
export function defaultKernels(dtype: DType): KernelSet {
  if (scoped !== undefined && scoped.dtype === dtype) return scoped;
  const found = made[dtype];
  if (found !== undefined) return found;
  const set = jsKernelSet(dtype);
  (made as Record<DType, KernelSet>)[dtype] = set;
  return set;
}

/** Runs `f` with `kernels` as the operations' default kernel set (for its element type). */
export function withKernels<T>(kernels: KernelSet | undefined, f: () => T): T {
  if (kernels === undefined) return f();
  const outer = scoped;
  scoped = kernels;
  try {
    return f();
  } finally {
    scoped = outer;
  }
}
