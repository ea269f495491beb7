import { jsKernelSet, type KernelSet } from '@downhill/core';
import { wasmSimdKernelSet } from './wasm-simd-kernel-set.js';

/** How a model computes: its arithmetic, or the kernel set to run on. */
export interface ComputeOptions {
  /**
   * Arithmetic of the loss and gradient passes. 'float64' (default) runs the model's float64
   * kernels, exact enough for the numeric checks against PyTorch. 'float32' runs on a float32
   * kernel set (WebAssembly SIMD where the runtime has it, else JavaScript) while parameters,
   * gradients and optimizer state stay float64: a float64 master copy with float32 compute.
   * Results agree with 'float64' to float32 rounding.
   */
  readonly compute?: 'float64' | 'float32';
  /**
   * The kernel set to run on (its dtype decides the arithmetic): e.g. `jsKernelSet('float32')`
   * to force the JavaScript kernels, or a float64 set to run float64 compute through the seam.
   * Default: chosen from `compute`.
   */
  readonly kernels?: KernelSet;
}

/** The best float32 kernel set this runtime has: WebAssembly SIMD, else JavaScript. */
export function defaultFloat32Kernels(): KernelSet<'float32'> {
  return wasmSimdKernelSet() ?? jsKernelSet('float32');
}

/** The kernel set `options` ask for; undefined for the model's own float64 kernels. */
export function chooseKernels(name: string, options: ComputeOptions): KernelSet | undefined {
  const { compute, kernels } = options;
  if (compute !== undefined && compute !== 'float64' && compute !== 'float32') {
    throw new RangeError(`${name}: compute must be 'float64' or 'float32', got ${String(compute)}`);
  }
  if (kernels !== undefined) {
    if (compute !== undefined && kernels.dtype !== compute) {
      throw new RangeError(
        `${name}: compute is '${compute}' but kernels (${kernels.name}) compute in '${kernels.dtype}'`,
      );
    }
    return kernels;
  }
  return compute === 'float32' ? defaultFloat32Kernels() : undefined;
}
