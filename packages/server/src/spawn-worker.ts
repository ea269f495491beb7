import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Starts the worker whose entry is `name` (`server-worker`, `sqlite-store-worker`) beside this
 * file. Run from TypeScript sources (tests and benchmarks use the `development` condition), the
 * entry is a `.ts` file, which the worker can only load with tsx registered first; the published
 * `.js` build loads directly.
 */
export function spawnWorker(name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  const limits = resourceLimits === undefined ? {} : { resourceLimits };
  if (!fromSource) return new Worker(entry, { workerData, ...limits });
  // `require.resolve` finds tsx's CommonJS build; its ES module build sits beside it.
  const tsxCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(tsxCjs.replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData, execArgv: ['--conditions=development'], ...limits });
}
