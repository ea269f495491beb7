import { readFileSync } from 'node:fs';
import { createRng, type Rng } from '@downhill/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { compileWat, toWasmModuleSource, WASM_KERNELS } from '../../scripts/generate-wasm-kernels.mjs';
import { denseForwardF32, denseWeightGradientF32, logisticRowsF32 } from './dense-f32.js';
import { allocateKernelFloat32Array, inKernelMemory } from './kernel-memory.js';
import { logisticRowsWasm } from './logistic-rows-wasm.js';
import { type LogisticSimdExports, wasmKernelModule, wasmKernelsAvailable } from './wasm-kernel-module.js';

// Independent oracle, straight from the definitions in float64: loss_r = log(1 + exp(z)) - y z
// (written as max(z, 0) + log1p(exp(-|z|)) so it stays finite), gradient scale (sigmoid(z) - y) [x, 1].
function oracle(
  x: Float32Array,
  rows: number,
  cols: number,
  y: ArrayLike<number>,
  params: Float64Array,
  scale: number,
) {
  let loss = 0;
  const gradient = new Float64Array(cols + 1);
  // Sum of |terms| per gradient coordinate: the yardstick for rounding in sums that cancel.
  const magnitude = new Float64Array(cols + 1);
  let lossMagnitude = 0;
  for (let r = 0; r < rows; r++) {
    let z = params[cols]!;
    for (let k = 0; k < cols; k++) z += x[r * cols + k]! * params[k]!;
    const softplus = Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    loss += softplus - y[r]! * z;
    lossMagnitude += softplus + Math.abs(y[r]! * z);
    const sigmoid = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    const d = scale * (sigmoid - y[r]!);
    for (let k = 0; k < cols; k++) {
      gradient[k]! += d * x[r * cols + k]!;
      magnitude[k]! += Math.abs(d * x[r * cols + k]!);
    }
    gradient[cols]! += d;
    magnitude[cols]! += Math.abs(d);
  }
  return { loss, gradient, magnitude, lossMagnitude };
}

interface Case {
  rows: number;
  cols: number;
  /** Largest |z| aimed for. */
  logit: number;
  probabilities: boolean;
}

function fillCase(rng: Rng, x: Float32Array, { rows, cols, logit, probabilities }: Case) {
  for (let i = 0; i < rows * cols; i++) x[i] = rng.uniform(-1, 1);
  const params = new Float64Array(cols + 1);
  for (let k = 0; k <= cols; k++) params[k] = (rng.uniform(-1, 1) * logit) / Math.sqrt(cols);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) y[r] = probabilities ? rng.next() : rng.next() < 0.5 ? 1 : 0;
  return { params, y };
}

const CASES: Case[] = [];
for (const rows of [0, 1, 2, 7, 8, 9, 17, 64, 255]) {
  for (const cols of [1, 2, 3, 5, 8, 64, 65]) {
    CASES.push({ rows, cols, logit: 3, probabilities: (rows + cols) % 2 === 1 });
  }
}
CASES.push({ rows: 100, cols: 7, logit: 1000, probabilities: false });
CASES.push({ rows: 100, cols: 6, logit: 1000, probabilities: true });
CASES.push({ rows: 33, cols: 1, logit: 800, probabilities: true });

function expectAgreement(
  got: { loss: number; gradient: Float64Array },
  want: { loss: number; gradient: Float64Array },
  magnitude: { loss: number; gradient: Float64Array },
  tolerance: number,
) {
  expect(Math.abs(got.loss - want.loss)).toBeLessThanOrEqual(tolerance * magnitude.loss + 1e-300);
  for (let k = 0; k < want.gradient.length; k++) {
    expect(Math.abs(got.gradient[k]! - want.gradient[k]!)).toBeLessThanOrEqual(
      tolerance * magnitude.gradient[k]! + 1e-300,
    );
  }
}

describe.runIf(wasmKernelsAvailable())('WebAssembly SIMD logistic kernel', () => {
  for (const where of ['in kernel memory', 'copied'] as const) {
    it(`${where}: matches the float64 oracle and the JS kernel (shapes, remainders, |z| up to 1e3, y probabilities)`, () => {
      const rng = createRng(6);
      for (const c of CASES) {
        const x =
          where === 'in kernel memory'
            ? allocateKernelFloat32Array(c.rows * c.cols)
            : new Float32Array(c.rows * c.cols);
        expect(inKernelMemory(x)).toBe(where === 'in kernel memory');
        const { params, y } = fillCase(rng, x, c);
        const scale = c.rows === 0 ? 0 : 1 / c.rows;
        const want = oracle(x, c.rows, c.cols, y, params, scale);
        const gradient = new Float64Array(c.cols + 1).fill(0.25);
        const loss = logisticRowsWasm(x, c.rows, c.cols, y, params, gradient, scale, { copy: true });
        expect(loss).toBeDefined();
        // The kernel adds to `gradient`: take the 0.25 back out.
        const got = { loss: loss!, gradient: gradient.map((v) => v - 0.25) };
        const magnitude = { loss: want.lossMagnitude, gradient: want.magnitude };
        expectAgreement(got, want, magnitude, 1e-13);
        const jsGradient = new Float64Array(c.cols + 1);
        const jsLoss = logisticRowsF32(x, c.rows, c.cols, y, params, jsGradient, scale);
        expectAgreement(got, { loss: jsLoss, gradient: jsGradient }, magnitude, 1e-13);
        // Loss alone (no gradient) is the same number.
        expect(logisticRowsWasm(x, c.rows, c.cols, y, params, undefined, scale, { copy: true })).toBe(loss);
      }
    });
  }

  it('extreme logits: confident rows give exp(-|z|) terms (down to subnormal and 0) like the JS kernel', () => {
    const cols = 1;
    const x = allocateKernelFloat32Array(16);
    const zs = [-1000, -746, -745, -720, -40, -1e-3, 0, 1e-3, 40, 700, 720, 745, 746, 1000, 1, -1];
    zs.forEach((z, r) => {
      x[r] = z;
    });
    const params = Float64Array.of(1, 0);
    // y = 1 for z > 0 and 0 for z < 0: each loss is log1p(exp(-|z|)), i.e. exp(-|z|) when tiny.
    const y = Float64Array.from(zs, (z) => (z > 0 ? 1 : 0));
    for (let r = 0; r < zs.length; r++) {
      const one = logisticRowsWasm(
        x.subarray(r, r + 1),
        1,
        cols,
        y.subarray(r, r + 1),
        params,
        undefined,
        1,
        {
          copy: false,
        },
      )!;
      const js = logisticRowsF32(x.subarray(r, r + 1), 1, cols, y.subarray(r, r + 1), params, undefined, 1);
      expect(Math.abs(one - js)).toBeLessThanOrEqual(3e-16 * js);
    }
    const gradient = new Float64Array(2);
    const total = logisticRowsWasm(x, 16, cols, y, params, gradient, 1, { copy: false })!;
    const want = oracle(x, 16, cols, y, params, 1);
    expect(Math.abs(total - want.loss)).toBeLessThanOrEqual(1e-15 * want.loss);
    expect(gradient[1]).toBeCloseTo(want.gradient[1]!, 15);
  });

  it('rows beyond the scratch area go in several calls; too many columns falls back (undefined)', () => {
    const rng = createRng(7);
    const c: Case = { rows: 403, cols: 4000, logit: 2, probabilities: true };
    const x = allocateKernelFloat32Array(c.rows * c.cols);
    const { params, y } = fillCase(rng, x, c);
    const gradient = new Float64Array(c.cols + 1);
    const loss = logisticRowsWasm(x, c.rows, c.cols, y, params, gradient, 0.5, { copy: false })!;
    const want = oracle(x, c.rows, c.cols, y, params, 0.5);
    expectAgreement({ loss, gradient }, want, { loss: want.lossMagnitude, gradient: want.magnitude }, 1e-13);
    const wide = allocateKernelFloat32Array(4100);
    expect(
      logisticRowsWasm(wide, 1, 4100, [0] as unknown as Float64Array, new Float64Array(4101), undefined, 1, {
        copy: true,
      }),
    ).toBe(undefined);
  });

  it('arrays in kernel memory stay valid and are read in place after more allocations and copied batches', () => {
    const first = allocateKernelFloat32Array(1000);
    first.fill(0.5);
    const later = Array.from({ length: 20 }, (_, i) => allocateKernelFloat32Array(10_000 * (i + 1)));
    // Copied batches grow the shared memory; none of that touches allocations.
    const big = new Float32Array(300_000).fill(1);
    logisticRowsWasm(big, 3000, 100, new Float64Array(3000), new Float64Array(101), undefined, 1, {
      copy: true,
    });
    expect(first.byteLength).toBe(4000);
    expect(first.every((v) => v === 0.5)).toBe(true);
    expect(later.every((a, i) => a.length === 10_000 * (i + 1) && a.every((v) => v === 0))).toBe(true);
    expect(inKernelMemory(first)).toBe(true);
    expect(inKernelMemory(first.subarray(10, 20))).toBe(true);
    expect(inKernelMemory(first.slice(10, 20))).toBe(false);
    // A subarray is read in place: a later write to the data set shows in the next loss.
    const rows = first.subarray(100, 110);
    const params = Float64Array.of(1, 1, 0);
    const y = new Float64Array(5);
    const before = logisticRowsWasm(rows, 5, 2, y, params, undefined, 1, { copy: false })!;
    first[100] = 3;
    const after = logisticRowsWasm(rows, 5, 2, y, params, undefined, 1, { copy: false })!;
    expect(after - before).toBeCloseTo(Math.log1p(Math.exp(3.5)) - Math.log1p(Math.exp(1)), 12);
    // Without copy, an ordinary array is left to the JS kernel.
    expect(logisticRowsWasm(rows.slice(), 5, 2, y, params, undefined, 1, { copy: false })).toBe(undefined);
  });

  it('rejects x or y shorter than rows x cols / rows, naming them', () => {
    const x = allocateKernelFloat32Array(10);
    expect(() =>
      logisticRowsWasm(x, 4, 3, new Float64Array(4), new Float64Array(4), undefined, 1, { copy: false }),
    ).toThrow(/x must hold rows \* cols = 12 values, got 10/);
    expect(() =>
      logisticRowsWasm(x, 5, 2, new Float64Array(4), new Float64Array(3), undefined, 1, { copy: false }),
    ).toThrow(/y must hold rows = 5 labels, got 4/);
  });

  it('allocateKernelFloat32Array rejects bad lengths', () => {
    expect(() => allocateKernelFloat32Array(-1)).toThrow(/length must be a non-negative integer, got -1/);
    expect(() => allocateKernelFloat32Array(1.5)).toThrow(/non-negative integer/);
    expect(() => allocateKernelFloat32Array(2 ** 30)).toThrow(/length must be at most/);
    expect(allocateKernelFloat32Array(0).length).toBe(0);
  });

  describe('exp and log1p in the kernel', () => {
    function kernelMath(): LogisticSimdExports {
      const { api, module } = wasmKernelModule()!;
      const instance = new api.Instance(module, { env: { memory: new api.Memory({ initial: 1 }) } });
      return instance.exports as LogisticSimdExports;
    }
    const ULP_AT_1 = 2 ** -52;

    it('expNegAbs(z) is within 2 ulp of Math.exp(-|z|) for normal results; exact at 0; 0 beyond 746', () => {
      const math = kernelMath();
      const rng = createRng(8);
      for (let i = 0; i < 20_000; i++) {
        const z = i % 2 === 0 ? rng.uniform(-40, 40) : rng.uniform(-708, 708);
        const want = Math.exp(-Math.abs(z));
        expect(Math.abs(math.expNegAbs(z) - want)).toBeLessThanOrEqual(2 * ULP_AT_1 * want);
      }
      expect(math.expNegAbs(0)).toBe(1);
      expect(math.expNegAbs(-0)).toBe(1);
      // Subnormal results: within one unit of the last place there (2^-1074).
      for (const z of [709, 720, 740, 744.4, 745.1]) {
        expect(Math.abs(math.expNegAbs(z) - Math.exp(-z))).toBeLessThanOrEqual(2 ** -1074);
      }
      expect(math.expNegAbs(746)).toBe(0);
      expect(math.expNegAbs(-1e300)).toBe(0);
      expect(math.expNegAbs(Number.POSITIVE_INFINITY)).toBe(0);
      expect(math.expNegAbs(Number.NaN)).toBeNaN();
    });

    it('log1p(q) is within 2 ulp of Math.log1p for q in [0, 15], and q itself for tiny q', () => {
      const math = kernelMath();
      const rng = createRng(9);
      for (let i = 0; i < 20_000; i++) {
        const q = i % 3 === 0 ? rng.uniform(0, 15) : i % 3 === 1 ? rng.uniform(0, 1) : rng.uniform(0, 1e-6);
        const want = Math.log1p(q);
        expect(Math.abs(math.log1p(q) - want)).toBeLessThanOrEqual(2 * ULP_AT_1 * want);
      }
      expect(math.log1p(0)).toBe(0);
      for (const q of [1e-300, 5e-324, 1e-17]) expect(math.log1p(q)).toBe(q);
      expect(math.log1p(1)).toBeCloseTo(Math.LN2, 16);
      expect(math.log1p(15)).toBeCloseTo(4 * Math.LN2, 15);
    });
  });
});

describe('WebAssembly module sources', () => {
  for (const kernel of WASM_KERNELS as { name: string; constant: string }[]) {
    it(`${kernel.name}-wasm.ts holds exactly the bytes of a fresh compile of ${kernel.name}.wat`, async () => {
      const source = readFileSync(new URL(`./${kernel.name}.wat`, import.meta.url), 'utf8');
      const bytes: Uint8Array = await compileWat(source, `${kernel.name}.wat`);
      const committed = readFileSync(new URL(`./${kernel.name}-wasm.ts`, import.meta.url), 'utf8');
      expect(committed).toBe(toWasmModuleSource(bytes, kernel));
      expect(committed).toContain(Buffer.from(bytes).toString('base64').slice(0, 100));
      // Small enough for synchronous compilation on a browser's main thread (4 KiB limit).
      expect(bytes.length).toBeLessThanOrEqual(4096);
    });
  }
});

describe('fallback without WebAssembly SIMD', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  async function freshModules() {
    vi.resetModules();
    const dense = await import('./dense.js');
    const memory = await import('./kernel-memory.js');
    const detect = await import('./wasm-kernel-module.js');
    const choose = await import('./choose-kernels.js');
    const simdSet = await import('./wasm-simd-kernel-set.js');
    return { ...dense, ...memory, ...detect, ...choose, ...simdSet };
  }

  function check(modules: Awaited<ReturnType<typeof freshModules>>) {
    expect(modules.wasmKernelsAvailable()).toBe(false);
    // Float32 compute falls back to the JavaScript kernel set.
    expect(modules.wasmSimdKernelSet()).toBeNull();
    expect(modules.defaultFloat32Kernels().name).toBe('js-float32');
    const x = modules.allocateKernelFloat32Array(19 * 3);
    expect(x).toBeInstanceOf(Float32Array);
    expect(modules.inKernelMemory(x)).toBe(false);
    const rng = createRng(10);
    const { params, y } = fillCase(rng, x, { rows: 19, cols: 3, logit: 4, probabilities: true });
    const gradient = new Float64Array(4);
    const loss = modules.logisticRows(x, 19, 3, y, params, gradient, 0.5);
    const jsGradient = new Float64Array(4);
    // Bit for bit the JS kernel: the fallback ran it.
    expect(loss).toBe(logisticRowsF32(x, 19, 3, y, params, jsGradient, 0.5));
    expect(gradient).toEqual(jsGradient);
    const want = oracle(x, 19, 3, y, params, 0.5);
    expectAgreement({ loss, gradient }, want, { loss: want.lossMagnitude, gradient: want.magnitude }, 1e-13);
    // The dense kernels too: 19 rows would go to WebAssembly, here the JS kernels run.
    const out = new Float64Array(19);
    modules.denseForward(x, 19, 3, params, 0, 3, 1, out);
    const jsOut = new Float64Array(19);
    denseForwardF32(x, 19, 3, params, 0, 3, 1, jsOut);
    expect(out).toEqual(jsOut);
    const dz = Float64Array.from(y, (v) => v - 0.5);
    const g = new Float64Array(4);
    modules.denseWeightGradient(dz, 19, 1, x, 3, g, 0);
    const jsG = new Float64Array(4);
    denseWeightGradientF32(dz, 19, 1, x, 3, jsG, 0);
    expect(g).toEqual(jsG);
  }

  it('no WebAssembly at all: allocations are ordinary arrays and logisticRows and the dense kernels run in JS', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    check(await freshModules());
  });

  it('WebAssembly without SIMD (validate rejects the module): the same', async () => {
    const withoutSimd = Object.create(Reflect.get(globalThis, 'WebAssembly') as object, {
      validate: { value: () => false },
    });
    vi.stubGlobal('WebAssembly', withoutSimd);
    check(await freshModules());
  });
});
