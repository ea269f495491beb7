import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The subset of package.json fields the release tooling reads. */
export interface PackageManifest {
  readonly name?: string;
  readonly version?: string;
  readonly private?: boolean;
  readonly description?: string;
  readonly license?: string;
  readonly type?: string;
  readonly sideEffects?: boolean | readonly string[];
  readonly files?: readonly string[];
  readonly engines?: Readonly<Record<string, string>>;
  readonly repository?:
    | string
    | { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly exports?: unknown;
  readonly publishConfig?: {
    readonly exports?: unknown;
    readonly access?: string;
    readonly [key: string]: unknown;
  };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

/** One package of the pnpm workspace. */
export interface WorkspacePackage {
  readonly name: string;
  readonly version: string | undefined;
  readonly private: boolean;
  /** Absolute folder. */
  readonly dir: string;
  /** Folder relative to the workspace root, with forward slashes (`packages/core`). */
  readonly relativeDir: string;
  readonly manifest: PackageManifest;
}

/** The dependency fields that make a package need another at install time. */
export const RUNTIME_DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
] as const;
/** Every dependency field, development included. */
export const ALL_DEPENDENCY_FIELDS = [...RUNTIME_DEPENDENCY_FIELDS, 'devDependencies'] as const;

/** The monorepo root: the folder with pnpm-workspace.yaml above this file. */
export function findWorkspaceRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml in ${from} or any folder above it`);
    dir = parent;
  }
}

/** Reads a package.json, naming the file when it is not valid JSON. */
export function readManifest(file: string): PackageManifest {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as PackageManifest;
  } catch (error) {
    throw new Error(`${file}: invalid JSON: ${(error as Error).message}`);
  }
}

/**
 * Every package of the workspace, found from the `packages` globs of pnpm-workspace.yaml, so a
 * package added under packages/ is picked up without touching this tooling. Supports the
 * `dir/*` and plain `dir` patterns the repo uses, and `!` exclusions.
 */
export function readWorkspace(root: string): WorkspacePackage[] {
  const config = parse(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')) as {
    packages?: string[];
  } | null;
  const patterns = config?.packages ?? [];
  const excluded = new Set(
    patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/\/$/, '')),
  );
  const dirs: string[] = [];
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    const clean = pattern.replace(/\/$/, '');
    if (clean.endsWith('/*')) {
      const parent = join(root, clean.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.push(join(parent, entry.name));
      }
    } else if (clean.includes('*')) {
      throw new Error(`pnpm-workspace.yaml: pattern "${pattern}" is not supported (use "dir/*" or "dir")`);
    } else {
      dirs.push(join(root, clean));
    }
  }
  const packages: WorkspacePackage[] = [];
  for (const dir of dirs.sort()) {
    const relativeDir = relative(root, dir).split('\\').join('/');
    if (excluded.has(relativeDir)) continue;
    const file = join(dir, 'package.json');
    // A folder another engineer has just created may not have its package.json yet.
    if (!existsSync(file)) continue;
    const manifest = readManifest(file);
    if (!manifest.name) throw new Error(`${relativeDir}/package.json: missing "name"`);
    packages.push({
      name: manifest.name,
      version: manifest.version,
      private: manifest.private === true,
      dir,
      relativeDir,
      manifest,
    });
  }
  return packages;
}

/** The packages that are published: every workspace package not marked private. */
export function publishablePackages(packages: readonly WorkspacePackage[]): WorkspacePackage[] {
  return packages.filter((pkg) => !pkg.private);
}

/** Names of the workspace packages `pkg` depends on through the given fields. */
export function workspaceDependencies(
  pkg: WorkspacePackage,
  workspaceNames: ReadonlySet<string>,
  fields: readonly (typeof ALL_DEPENDENCY_FIELDS)[number][] = RUNTIME_DEPENDENCY_FIELDS,
): string[] {
  const names = new Set<string>();
  for (const field of fields) {
    for (const name of Object.keys(pkg.manifest[field] ?? {})) {
      if (workspaceNames.has(name)) names.add(name);
    }
  }
  return [...names].sort();
}
