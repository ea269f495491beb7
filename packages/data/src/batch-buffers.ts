import { allocateKernelFloat32Array, type MatrixData } from '@downhill/core';

/**
 * The reused buffer that shuffled batches of `data` are gathered into. Float32 inputs go into
 * kernel memory (allocateKernelFloat32Array): the WebAssembly SIMD kernels then read each batch
 * where it was gathered, instead of copying it once more. Targets stay ordinary arrays (they are
 * small, and kernels take them from JavaScript).
 */
export function gatherBuffer(data: MatrixData, length: number, role: 'x' | 'y'): MatrixData {
  if (data instanceof Float32Array)
    return role === 'x' ? allocateKernelFloat32Array(length) : new Float32Array(length);
  return new Float64Array(length);
}
