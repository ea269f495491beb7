import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import type { PackageManifest, WorkspacePackage } from './workspace.js';

/** One import that breaks the package boundaries. */
export interface BoundaryViolation {
  /** `path:line:column` relative to the workspace root. */
  readonly location: string;
  readonly specifier: string;
  readonly message: string;
}

const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage', 'test-artifacts', 'build']);

/** Files whose code ships to users: under src/, not a test or a test fixture. */
function isShippedSource(relativeFile: string): boolean {
  return relativeFile.startsWith('src/') && !/(?:\.test\.|\/test-[^/]*$|\/__tests__\/)/.test(relativeFile);
}

/** Every source file of a package folder, skipping dependencies, build output, dot-folders and nested projects. */
export function listSourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        // A folder with its own package.json is another project (e.g. the release smoke test's
        // consumer templates) with its own dependencies.
        if (!SKIPPED_FOLDERS.has(entry.name) && !existsSync(join(path, 'package.json'))) walk(path);
      } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(path);
      }
    }
  };
  walk(dir);
  return files.sort();
}

/** Splits a bare specifier into package name and subpath (`@a/b/c/d` -> `@a/b`, `./c/d`). */
export function splitBareSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const rest = parts.slice(nameLength).join('/');
  return { name, subpath: rest === '' ? '.' : `./${rest}` };
}

/** The subpaths a manifest's `exports` makes public (`.` only when exports is a plain target). */
export function exportedSubpaths(manifest: PackageManifest): string[] {
  const { exports } = manifest;
  if (exports === undefined) return ['.'];
  if (typeof exports === 'string' || Array.isArray(exports) || exports === null) return ['.'];
  const keys = Object.keys(exports as object);
  return keys.some((key) => key.startsWith('.')) ? keys : ['.'];
}

function subpathIsExported(subpath: string, exported: readonly string[]): boolean {
  return exported.some((key) => {
    const star = key.indexOf('*');
    if (star === -1) return key === subpath;
    return subpath.startsWith(key.slice(0, star)) && subpath.endsWith(key.slice(star + 1));
  });
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/**
 * Checks every import of every workspace package: another workspace package may be imported
 * only through its `exports` (`@downhill/core`, never `@downhill/core/src/...` or `/dist/...`),
 * a relative import may not leave its own package, and a workspace package imported by shipped
 * code must be a declared runtime dependency (a devDependency is not installed for users).
 * Imports are read with TypeScript's pre-processor: static, `export ... from`, dynamic
 * `import()` and `require()`.
 */
export function findBoundaryViolations(
  root: string,
  packages: readonly WorkspacePackage[],
): BoundaryViolation[] {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const violations: BoundaryViolation[] = [];
  for (const pkg of packages) {
    const runtime = new Set([
      ...Object.keys(pkg.manifest.dependencies ?? {}),
      ...Object.keys(pkg.manifest.peerDependencies ?? {}),
      ...Object.keys(pkg.manifest.optionalDependencies ?? {}),
    ]);
    const declared = new Set([...runtime, ...Object.keys(pkg.manifest.devDependencies ?? {})]);
    for (const file of listSourceFiles(pkg.dir)) {
      const text = readFileSync(file, 'utf8');
      const relativeFile = relative(pkg.dir, file).split(sep).join('/');
      const shipped = !pkg.private && isShippedSource(relativeFile);
      const { importedFiles } = ts.preProcessFile(text, true, true);
      for (const reference of importedFiles) {
        const specifier = reference.fileName;
        const location = `${relative(root, file).split(sep).join('/')}:${lineAndColumn(text, reference.pos)}`;
        const report = (message: string) => violations.push({ location, specifier, message });
        if (specifier.startsWith('.') || specifier.startsWith('/')) {
          const target = resolve(dirname(file), specifier);
          const inside = relative(pkg.dir, target);
          if (inside.startsWith('..') || resolve(pkg.dir, inside) !== target) {
            report(
              `relative import leaves ${pkg.name} (resolves to ${relative(root, target).split(sep).join('/')}); import the other package by name through its exports`,
            );
          }
          continue;
        }
        if (specifier.startsWith('node:')) continue;
        const { name, subpath } = splitBareSpecifier(specifier);
        const target = byName.get(name);
        if (!target) {
          if (name.startsWith('@downhill/')) report(`${name} is not a package of this workspace`);
          continue;
        }
        const exported = exportedSubpaths(target.manifest);
        if (!subpathIsExported(subpath, exported)) {
          report(
            `deep import into ${name}: "${subpath}" is not in its exports (public: ${exported.map((key) => `"${key}"`).join(', ')})`,
          );
        }
        if (name === pkg.name) continue;
        if (!declared.has(name)) {
          report(`${pkg.name} imports ${name} but does not declare it in package.json`);
        } else if (shipped && !runtime.has(name)) {
          report(
            `shipped code of ${pkg.name} imports ${name}, which is only a devDependency (users will not have it installed)`,
          );
        }
      }
    }
  }
  return violations;
}
