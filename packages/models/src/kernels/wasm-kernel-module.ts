import { denseSimdWasmBase64 } from './dense-simd-wasm.js';
import { gemmF32SimdWasmBase64 } from './gemm-f32-simd-wasm.js';
import { logisticSimdWasmBase64 } from './logistic-simd-wasm.js';

/** Bytes in one WebAssembly memory page. */
export const PAGE_BYTES = 65_536;

/** A WebAssembly memory: its bytes, and growth by pages of 64 KiB (detaching the old buffer). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * The part of the WebAssembly JavaScript API the kernels use (this package's TS lib has no DOM
 * types, and @types/node declares only a fragment of the namespace).
 */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

/** The compiled kernel module and the API that compiled it (to instantiate with). */
export interface WasmKernelModule {
  readonly api: WasmApi;
  readonly module: object;
}

/** A growable memory of at least `bytes` (at least one page), for operands copied in. */
export function createMemory(api: WasmApi, bytes: number): WasmMemory {
  return new api.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
}

/**
 * Grows `memory` to hold at least `bytes`; returns whether it grew (which detaches every view of
 * its old buffer, so the caller makes new ones).
 */
export function ensureMemoryBytes(memory: WasmMemory, bytes: number): boolean {
  if (memory.buffer.byteLength >= bytes) return false;
  memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
  return true;
}

// The compiled SIMD kernels, or null where they cannot run (no WebAssembly, or a runtime without
// 128-bit SIMD: `WebAssembly.validate` rejects the module). Decided once, on first use; the module
// is under 4 KiB, so synchronous compilation is allowed on a browser's main thread too.
let compiled: WasmKernelModule | null | undefined;
let compiledDense: WasmKernelModule | null | undefined;
let compiledGemm: WasmKernelModule | null | undefined;

/** What a kernel instance exports (see logistic-simd.wat). */
export interface LogisticSimdExports {
  logisticRows(
    x: number,
    rows: number,
    cols: number,
    y: number,
    w: number,
    g: number,
    gBias: number,
    bias: number,
    scale: number,
    withGradient: number,
  ): number;
  /** exp(-|z|), for the accuracy tests. */
  expNegAbs(z: number): number;
  /** log1p(q) for q >= 0, for the accuracy tests. */
  log1p(q: number): number;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function compile(base64: string): WasmKernelModule | null {
  const api = (globalThis as { WebAssembly?: Partial<WasmApi> }).WebAssembly;
  if (typeof api?.validate !== 'function' || typeof api.Module !== 'function') return null;
  const bytes = decodeBase64(base64);
  if (!api.validate(bytes)) return null;
  return { api: api as WasmApi, module: new api.Module(bytes) };
}

/** The compiled kernel module, or null when this runtime lacks WebAssembly SIMD. */
export function wasmKernelModule(): WasmKernelModule | null {
  if (compiled === undefined) compiled = compile(logisticSimdWasmBase64);
  return compiled;
}

/** The compiled dense-layer kernels (dense-simd.wat), or null without WebAssembly SIMD. */
export function denseKernelModule(): WasmKernelModule | null {
  if (compiledDense === undefined)
    compiledDense = wasmKernelModule() === null ? null : compile(denseSimdWasmBase64);
  return compiledDense;
}

/** The compiled float32 GEMM and element-wise kernels (gemm-f32-simd.wat), or null without WebAssembly SIMD. */
export function gemmKernelModule(): WasmKernelModule | null {
  if (compiledGemm === undefined)
    compiledGemm = wasmKernelModule() === null ? null : compile(gemmF32SimdWasmBase64);
  return compiledGemm;
}

/**
 * True when this runtime runs the WebAssembly SIMD kernels (WebAssembly with 128-bit SIMD:
 * Node >= 16.4, current browsers). Otherwise every kernel runs its JavaScript version, with the
 * same results to rounding.
 */
export function wasmKernelsAvailable(): boolean {
  return wasmKernelModule() !== null;
}
