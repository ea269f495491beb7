import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_DEPENDENCY_FIELDS, RUNTIME_DEPENDENCY_FIELDS, type WorkspacePackage } from './workspace.js';

/** One problem found in a package's manifest or README, worded so the fix is obvious. */
export interface ManifestProblem {
  readonly packageName: string;
  /** File (relative to the workspace root) and, where it applies, the field. */
  readonly where: string;
  readonly message: string;
}

/** Condition objects of an `exports` value, with the path of keys that leads to each. */
function conditionObjects(value: unknown, path: string[] = []): { path: string[]; conditions: string[] }[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const keys = Object.keys(value);
  const found = keys.some((key) => !key.startsWith('.')) ? [{ path, conditions: keys }] : [];
  for (const key of keys) {
    found.push(...conditionObjects((value as Record<string, unknown>)[key], [...path, key]));
  }
  return found;
}

const README_EXAMPLE = /```(?:ts|typescript|js|javascript|mjs)\n([\s\S]*?)```/g;
const SHELL_EXAMPLE = /```(?:sh|shell|bash|console)\n([\s\S]*?)```/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The command names a package installs (`bin` as a string uses the unscoped package name). */
function binNames(pkg: WorkspacePackage): string[] {
  const { bin } = pkg.manifest;
  if (typeof bin === 'string') return [pkg.name.split('/').pop()!];
  return bin !== null && typeof bin === 'object' ? Object.keys(bin) : [];
}

/**
 * Checks what every published package must carry (issue 10): ESM `type`, `exports` whose
 * published form puts `types` first and drops the `development` condition, `files`,
 * `sideEffects`, `license`, `repository` with its `directory`, `engines.node`, a `version`, a
 * README with an example that imports the package, and workspace dependencies that publish
 * correctly (`workspace:^` on published packages only). Private packages are skipped except for
 * the rule that a workspace dependency must point at a package with a version (pnpm cannot
 * rewrite `workspace:` otherwise, and packing fails).
 */
export function checkManifest(pkg: WorkspacePackage, all: readonly WorkspacePackage[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const file = `${pkg.relativeDir}/package.json`;
  const report = (field: string, message: string) =>
    problems.push({ packageName: pkg.name, where: field ? `${file} "${field}"` : file, message });
  const manifest = pkg.manifest;
  const byName = new Map(all.map((other) => [other.name, other]));

  for (const field of ALL_DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      const target = byName.get(name);
      if (target && range.startsWith('workspace:') && target.version === undefined) {
        report(
          field,
          `${name} has no "version" in ${target.relativeDir}/package.json, so pnpm cannot replace "${range}" when packing (add "version": "0.0.0")`,
        );
      }
    }
  }
  if (pkg.private) return problems;

  if (!manifest.version || !/^\d+\.\d+\.\d+(?:-[\w.]+)?$/.test(manifest.version)) {
    report('version', 'missing or not a semver version');
  }
  if (!manifest.description) report('description', 'missing (npm shows it in search results)');
  if (manifest.type !== 'module') report('type', 'must be "module" (Downhill ships ESM only)');
  if (manifest.license === undefined || manifest.license === '') report('license', 'missing (use "MIT")');
  if (manifest.sideEffects === undefined) {
    report(
      'sideEffects',
      'missing: set false (or list the files with side effects) so bundlers can tree-shake',
    );
  }
  if (!Array.isArray(manifest.files) || manifest.files.length === 0) {
    report('files', 'missing: list what ships (e.g. ["dist", "src", "!src/**/*.test.ts"])');
  }
  if (!manifest.engines?.node) report('engines', 'missing "node" range (e.g. ">=20")');
  const repository = manifest.repository;
  if (typeof repository !== 'object' || !repository.url) {
    report('repository', 'missing: { "type": "git", "url": ..., "directory": ... }');
  } else if (repository.directory !== pkg.relativeDir) {
    report(
      'repository',
      `"directory" must be "${pkg.relativeDir}" (is ${JSON.stringify(repository.directory)})`,
    );
  }

  const sourceExports = manifest.exports;
  const publishedExports = manifest.publishConfig?.exports ?? sourceExports;
  if (sourceExports === undefined) {
    report('exports', 'missing: the package needs an "exports" map with "types" first');
  } else {
    const usesDevelopment = conditionObjects(sourceExports).some(({ conditions }) =>
      conditions.includes('development'),
    );
    if (usesDevelopment && manifest.publishConfig?.exports === undefined) {
      report(
        'publishConfig',
        'exports use the "development" condition (-> src) but there is no publishConfig.exports without it',
      );
    }
    for (const { path, conditions } of conditionObjects(publishedExports)) {
      const at = `exports${path.map((key) => `["${key}"]`).join('')}`;
      if (conditions.includes('development')) {
        report('publishConfig', `published ${at} still has the "development" condition`);
      }
      if (!conditions.includes('types')) {
        if (conditions.includes('default') || conditions.includes('import')) {
          report('publishConfig', `published ${at} has no "types" condition`);
        }
      } else if (conditions[0] !== 'types') {
        report(
          'publishConfig',
          `published ${at}: "types" must be the first condition (is ${conditions.join(', ')})`,
        );
      }
    }
  }

  for (const field of RUNTIME_DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      const target = byName.get(name);
      if (!target) continue;
      if (target.private) report(field, `depends on ${name}, which is private and never published`);
      if (range === 'workspace:*' || range === 'workspace:~') {
        report(
          field,
          `${name}: use "workspace:^" so the published range lets users upgrade packages one at a time`,
        );
      }
    }
  }

  const readme = join(pkg.dir, 'README.md');
  if (!existsSync(readme)) {
    report('', `no README.md in ${pkg.relativeDir} (npm shows it; it needs a runnable example)`);
  } else {
    const text = readFileSync(readme, 'utf8');
    const examples = [...text.matchAll(README_EXAMPLE)].map((match) => match[1] ?? '');
    const imports = examples.some((code) => code.includes(`'${pkg.name}'`) || code.includes(`"${pkg.name}"`));
    // A command-line package may show its command instead.
    const commands = binNames(pkg);
    const runs = [...text.matchAll(SHELL_EXAMPLE)].some((match) =>
      commands.some((command) =>
        new RegExp(`(?:^|[\\s$])(?:npx\\s+)?${escapeRegExp(command)}(?:\\s|$)`, 'm').test(match[1] ?? ''),
      ),
    );
    if (!imports && !runs) {
      const expected = commands.length > 0 ? `, nor a \`\`\`sh example running ${commands.join(' / ')}` : '';
      problems.push({
        packageName: pkg.name,
        where: `${pkg.relativeDir}/README.md`,
        message: `no \`\`\`ts example that imports from '${pkg.name}'${expected}`,
      });
    }
  }
  return problems;
}
