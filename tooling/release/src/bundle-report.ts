import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';

/** Size of one minified bundle. */
export interface BundleSize {
  readonly minified: number;
  readonly gzip: number;
}

const SHARED: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  // Node built-ins (data's file readers, csv-parse's streams) are not code a bundle would carry.
  external: ['node:*', ...builtinModules],
  write: false,
  logLevel: 'silent',
};

function sizeOf(code: Uint8Array): BundleSize {
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

/**
 * Minified + gzip size of a package's own code: its entry file bundled with every bare import
 * (other packages, `@downhill/*` included) left external, so each package is charged only for
 * what it ships itself.
 */
export async function ownBundleSize(entryFile: string): Promise<BundleSize> {
  const result = await build({ ...SHARED, entryPoints: [entryFile], packages: 'external' });
  return sizeOf(result.outputFiles![0]!.contents);
}

/**
 * Minified + gzip size of everything importing `specifier` pulls into a bundle (its
 * dependencies included), resolved from the node_modules of `resolveDir`.
 */
export async function fullBundleSize(resolveDir: string, specifier: string): Promise<BundleSize> {
  const result = await build({
    ...SHARED,
    stdin: { contents: `export * from ${JSON.stringify(specifier)};`, resolveDir, loader: 'js' },
  });
  return sizeOf(result.outputFiles![0]!.contents);
}

/** Maps each name a `dist/index.js` re-exports to the file it comes from (`export { a } from './a.js'`). */
export function reExportSources(indexFile: string): Map<string, string> {
  const text = readFileSync(indexFile, 'utf8');
  const sources = new Map<string, string>();
  for (const match of text.matchAll(/export\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    for (const part of match[1]!.split(',')) {
      const exported = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (exported) sources.set(exported, resolve(indexFile, '..', match[2]!));
    }
  }
  return sources;
}

/** What one named import pulled into a minified bundle. */
export interface TreeShakingReport {
  readonly exportName: string;
  /** Bundle of just this import vs. bundle of the whole package (`import *`), dependencies included. */
  readonly single: BundleSize;
  readonly whole: BundleSize;
  /** Files of the package that reached the single-import bundle. */
  readonly includedFiles: readonly string[];
  /** Files of the package the export's own module imports, directly or not. */
  readonly neededFiles: readonly string[];
  readonly packageFiles: number;
  /** Package files in the bundle that the export does not need: tree-shaking failed for them. */
  readonly unneededFiles: readonly string[];
}

function importClosure(start: string, metafile: Metafile, root: string): Set<string> {
  const key = (absolute: string) => absolute.slice(root.length + 1);
  const seen = new Set<string>([key(start)]);
  const queue = [key(start)];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

/**
 * Bundles `import { exportName } from packageName` (minified, resolved from `resolveDir`'s
 * node_modules, as a user's bundler would) and checks with esbuild's metafile that the only
 * files of the package that reach the output are the export's own module and what it imports.
 * The package's `sideEffects: false` and its one-concept-per-file layout are what make this
 * hold; a module with top-level side effects or a missing `sideEffects` field breaks it.
 */
export async function checkTreeShaking(options: {
  readonly resolveDir: string;
  readonly packageName: string;
  readonly exportName: string;
}): Promise<TreeShakingReport> {
  const { resolveDir, packageName, exportName } = options;
  const packageDir = join(resolveDir, 'node_modules', packageName);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: { '.'?: { default?: string; import?: string } };
  };
  const entry = manifest.exports?.['.']?.default ?? manifest.exports?.['.']?.import;
  if (!entry) throw new Error(`${packageName}: no exports["."].default to bundle`);
  const indexFile = resolve(packageDir, entry);
  const source = reExportSources(indexFile).get(exportName);
  if (!source) throw new Error(`${packageName}: ${entry} does not re-export "${exportName}" from a module`);

  const bundle = async (contents: string) =>
    build({
      ...SHARED,
      stdin: { contents, resolveDir, loader: 'js' },
      metafile: true,
      absWorkingDir: resolveDir,
    });
  const single = await bundle(
    `import { ${exportName} } from ${JSON.stringify(packageName)};\nglobalThis.keep = ${exportName};\n`,
  );
  const whole = await bundle(
    `import * as all from ${JSON.stringify(packageName)};\nglobalThis.keep = all;\n`,
  );

  const metafile = single.metafile!;
  const prefix = `node_modules/${packageName}/`;
  const output = Object.values(metafile.outputs)[0]!;
  const includedFiles = Object.entries(output.inputs)
    .filter(([path, input]) => path.startsWith(prefix) && input.bytesInOutput > 0)
    .map(([path]) => path)
    .sort();
  const needed = importClosure(source, metafile, resolve(resolveDir));
  const packageFiles = Object.keys(whole.metafile!.inputs).filter((path) => path.startsWith(prefix)).length;
  return {
    exportName,
    single: sizeOf(single.outputFiles![0]!.contents),
    whole: sizeOf(whole.outputFiles![0]!.contents),
    includedFiles,
    neededFiles: [...needed].filter((path) => path.startsWith(prefix)).sort(),
    packageFiles,
    unneededFiles: includedFiles.filter((path) => !needed.has(path)),
  };
}
