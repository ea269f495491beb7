import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * How to start a worker thread whose entry is the module `name` beside `besideUrl` (the caller's
 * `import.meta.url`): `new Worker(entry.url, { ...entry.options, workerData })`.
 *
 * Run from TypeScript sources (tests and benchmarks use the `development` condition), the entry is
 * a `.ts` file, which a worker can only load with tsx registered first; the published `.js` build
 * loads directly, without tsx. One place for this, for every package that starts workers.
 */
export function workerEntry(besideUrl: string, name: string): { url: URL | string; options: WorkerOptions } {
  const fromSource = fileURLToPath(besideUrl).endsWith('.ts');
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, besideUrl);
  if (!fromSource) return { url: entry, options: {} };
  const tsx = pathToFileURL(resolveTsx(besideUrl, entry).replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { url: code, options: { eval: true, execArgv: ['--conditions=development'] } };
}

/** tsx's CommonJS build (its ES module build sits beside it), as the caller's package or this one sees it. */
function resolveTsx(besideUrl: string, entry: URL): string {
  for (const from of [besideUrl, import.meta.url]) {
    try {
      return createRequire(from).resolve('tsx/esm/api');
    } catch {
      // Not installed where `from` can see it: try the next place.
    }
  }
  throw new Error(
    `workerEntry: ${fileURLToPath(entry)} is TypeScript and needs tsx to run in a worker; install tsx`,
  );
}
