// Writes src/kernels/logistic-simd-wasm.ts from src/kernels/logistic-simd.wat: the module's bytes
// as base64 in a TS module, so the kernel loads in Node and in browsers with no file access and
// no build step. A test compiles the .wat afresh and checks the committed bytes are the same.
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

/** The TS module that carries `bytes`, base64 in lines of 100 characters. */
export function toWasmModuleSource(bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return `// GENERATED from logistic-simd.wat by scripts/generate-wasm-kernels.mjs: do not edit.

/** The compiled logistic-simd.wat (${bytes.length} bytes), base64. */
export const logisticSimdWasmBase64 =
${lines.map((line) => `  '${line}'`).join(' +\n')};
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL('../src/kernels/', import.meta.url);
  const bytes = await compileWat(readFileSync(new URL('logistic-simd.wat', dir), 'utf8'));
  writeFileSync(new URL('logistic-simd-wasm.ts', dir), toWasmModuleSource(bytes));
  console.log(`logistic-simd-wasm.ts: ${bytes.length} bytes`);
}
