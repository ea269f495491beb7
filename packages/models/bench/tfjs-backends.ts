// TensorFlow.js peers for the benchmarks: tfjs-core with the plain-JS cpu backend and the
// WebAssembly backend (XNNPACK, SIMD when the runtime has it). In Node the wasm backend must be
// told where its .wasm files are: the dist folder of @tensorflow/tfjs-backend-wasm.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node entry registers no gradient functions (its register_all_gradients module is
// ESM with extensionless imports, which Node cannot load); the union package's Node bundle
// registers them all into the global registry that tfjs-core's engine reads.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

export { tf };

/** Switches TF.js to `name`; returns a one-line description, or throws with the reason it cannot run. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<string> {
  if (name === 'wasm') {
    const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(`${dirname(wasmFile)}/`);
  }
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name)
    throw new Error(`tf.setBackend('${name}') failed (backend is ${tf.getBackend()})`);
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return `tfjs ${tf.version_core} wasm (simd ${simd}, threads ${threads})`;
  }
  return `tfjs ${tf.version_core} cpu`;
}
