import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ALL_DEPENDENCY_FIELDS, type WorkspacePackage } from './workspace.js';

/**
 * A scratch copy of the workspace's release metadata: the root manifest, pnpm-workspace.yaml,
 * `.changeset/config.json` and every package's package.json, README and CHANGELOG in the same
 * layout, with `node_modules` linked back to the real ones (changesets loads its changelog
 * generator from there) and each package's workspace dependencies linked to their scratch copies
 * (what `pnpm pack` reads to rewrite `workspace:` ranges). Versioning this copy never touches the
 * real repository.
 */
export function copyReleaseMetadata(root: string, packages: readonly WorkspacePackage[]): string {
  const scratch = mkdtempSync(join(tmpdir(), 'downhill-changesets-'));
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(join(root, file), join(scratch, file));
  }
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  for (const pkg of packages) {
    const copy = join(scratch, pkg.relativeDir);
    mkdirSync(copy, { recursive: true });
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md']) {
      if (existsSync(join(pkg.dir, file))) cpSync(join(pkg.dir, file), join(copy, file));
    }
    for (const field of ALL_DEPENDENCY_FIELDS) {
      for (const name of Object.keys(pkg.manifest[field] ?? {})) {
        const target = byName.get(name);
        const link = join(copy, 'node_modules', name);
        if (!target || existsSync(link)) continue;
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(join(scratch, target.relativeDir), link, 'dir');
      }
    }
  }
  return scratch;
}
