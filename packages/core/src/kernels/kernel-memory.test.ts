import { describe, expect, it } from 'vitest';
import {
  allocateKernelFloat32Array,
  inKernelMemory,
  KERNEL_SCRATCH_BYTES,
  kernelMemoryOf,
} from './kernel-memory.js';

describe('allocateKernelFloat32Array', () => {
  it('places the array after the scratch area of its own fixed-size WebAssembly memory', () => {
    const a = allocateKernelFloat32Array(1000);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(1000);
    expect(Array.from(a.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    const owner = kernelMemoryOf(a);
    expect(owner).toBeDefined();
    expect(a.byteOffset).toBe(KERNEL_SCRATCH_BYTES);
    expect(owner!.memory.buffer).toBe(a.buffer);
    expect(owner!.scratchBytes).toBe(KERNEL_SCRATCH_BYTES);
    // Never grown: the memory holds exactly the scratch area and the array, in whole pages.
    expect(() => owner!.memory.grow(1)).toThrow();
  });

  it('keeps every allocation valid however many follow, and knows its views', () => {
    const first = allocateKernelFloat32Array(10);
    first[3] = 7;
    const later = Array.from({ length: 10 }, (_, i) => allocateKernelFloat32Array(1000 * (i + 1)));
    expect(first[3]).toBe(7);
    expect(inKernelMemory(first.subarray(2, 5))).toBe(true);
    expect(inKernelMemory(first.slice(2, 5))).toBe(false);
    expect(inKernelMemory(new Float32Array(4))).toBe(false);
    expect(new Set(later.map((a) => kernelMemoryOf(a)!.memory)).size).toBe(10);
  });

  it('rejects bad lengths, naming the limit', () => {
    expect(() => allocateKernelFloat32Array(-1)).toThrow(/length must be a non-negative integer, got -1/);
    expect(() => allocateKernelFloat32Array(2 ** 30)).toThrow(/length must be at most/);
  });
});
