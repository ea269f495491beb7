import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * How to start the worker whose entry is `name` beside this file. Run from TypeScript sources
 * (tests and benchmarks use the `development` condition) the entry is a `.ts` file, which a worker
 * can only load with tsx registered first; the published `.js` build loads directly. (The same
 * trick as @downhill/models' `dataParallel` workers; the packages do not depend on each other.)
 */
export function workerEntry(name: string): { url: URL | string; options: WorkerOptions } {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return { url: entry, options: {} };
  // `require.resolve` finds tsx's CommonJS build; its ES module build sits beside it.
  const tsxCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(tsxCjs.replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { url: code, options: { eval: true, execArgv: ['--conditions=development'] } };
}
