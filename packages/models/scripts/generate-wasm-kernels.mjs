// Writes src/kernels/<name>-wasm.ts from each hand-written src/kernels/<name>.wat (WASM_KERNELS):
// the module's bytes as base64 in a TS module, so the kernels load in Node and in browsers with no
// file access and no build step. A test compiles each .wat afresh and checks the committed bytes.
// Run: node scripts/generate-wasm-kernels.mjs (needs the `wabt` devDependency).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';

/** Bytes of the .wat source: 128-bit SIMD only (no relaxed SIMD), no debug names. */
export async function compileWat(source, fileName = 'logistic-simd.wat') {
  const wabt = await createWabt();
  const parsed = wabt.parseWat(fileName, source, { simd: true, relaxed_simd: false });
  try {
    parsed.validate({ simd: true, relaxed_simd: false });
    return parsed.toBinary({ write_debug_names: false }).buffer;
  } finally {
    parsed.destroy();
  }
}

/** The kernels: source name (src/kernels/<name>.wat) and the exported base64 constant. */
export const WASM_KERNELS = [
  { name: 'logistic-simd', constant: 'logisticSimdWasmBase64' },
  { name: 'dense-simd', constant: 'denseSimdWasmBase64' },
  { name: 'gemm-f32-simd', constant: 'gemmF32SimdWasmBase64' },
];

/** The TS module that carries `bytes`, base64 in lines of 100 characters. */
export function toWasmModuleSource(bytes, { name, constant }) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return `// GENERATED from ${name}.wat by scripts/generate-wasm-kernels.mjs: do not edit.

/** The compiled ${name}.wat (${bytes.length} bytes), base64. */
export const ${constant} =
${lines.map((line) => `  '${line}'`).join(' +\n')};
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL('../src/kernels/', import.meta.url);
  for (const kernel of WASM_KERNELS) {
    const bytes = await compileWat(
      readFileSync(new URL(`${kernel.name}.wat`, dir), 'utf8'),
      `${kernel.name}.wat`,
    );
    writeFileSync(new URL(`${kernel.name}-wasm.ts`, dir), toWasmModuleSource(bytes, kernel));
    console.log(`${kernel.name}-wasm.ts: ${bytes.length} bytes`);
  }
}
