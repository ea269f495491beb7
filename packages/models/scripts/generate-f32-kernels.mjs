// Writes src/kernels/dense-f32.ts from src/kernels/dense-f64.ts: the same kernels, instantiated
// for Float32Array inputs (V8 specialises per typed-array kind; see the header of dense-f64.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The f32 source derived from the f64 source. */
export function toFloat32Source(source) {
  const marker = 'type XData = Float64Array;';
  if (!source.includes(marker)) throw new Error(`dense-f64.ts: missing the line "${marker}"`);
  const body = source.replace(marker, 'type XData = Float32Array;').replace(/F64\b/g, 'F32');
  return `// GENERATED from dense-f64.ts by scripts/generate-f32-kernels.mjs: do not edit.\n${body}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL('../src/kernels/', import.meta.url);
  const source = readFileSync(new URL('dense-f64.ts', dir), 'utf8');
  writeFileSync(new URL('dense-f32.ts', dir), toFloat32Source(source));
}
