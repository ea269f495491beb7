import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';
import { copyReleaseMetadata } from './scratch-workspace.js';
import { packPackage } from './tarball-check.js';
import {
  findWorkspaceRoot,
  type PackageManifest,
  publishablePackages,
  readWorkspace,
  type WorkspacePackage,
  workspaceDependencies,
} from './workspace.js';

// `pnpm changeset version` on a scratch copy of the real workspace: a minor changeset on a
// package that others depend on must bump it, bump its dependents (their `workspace:^` range
// no longer covers it), write both changelogs, and make `pnpm pack` publish the new range.
const root = findWorkspaceRoot();
const packages = readWorkspace(root);
const publishable = publishablePackages(packages);
const publishableNames = new Set(publishable.map((pkg) => pkg.name));
const dependentsOf = (name: string) =>
  publishable.filter((pkg) => workspaceDependencies(pkg, publishableNames).includes(name));
const bumped = publishable.find((pkg) => dependentsOf(pkg.name).length > 0);
const summary = 'Add a changeset-tested feature.';
let scratch = '';

const manifestIn = (pkg: WorkspacePackage): PackageManifest =>
  JSON.parse(readFileSync(join(scratch, pkg.relativeDir, 'package.json'), 'utf8')) as PackageManifest;
const changelogIn = (pkg: WorkspacePackage): string =>
  readFileSync(join(scratch, pkg.relativeDir, 'CHANGELOG.md'), 'utf8');

/** Semver bump of a plain x.y.z version: the oracle here, independent of changesets. */
function bump(version: string, kind: 'minor' | 'patch'): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  return kind === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
}

beforeAll(async () => {
  if (!bumped) throw new Error('no publishable package has a publishable dependent: nothing to version');
  scratch = copyReleaseMetadata(root, packages);
  writeFileSync(
    join(scratch, '.changeset', 'release-tooling-test.md'),
    `---\n"${bumped.name}": minor\n---\n\n${summary}\n`,
  );
  await runCommand(
    process.execPath,
    [join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'],
    {
      cwd: scratch,
    },
  );
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('pnpm changeset version (on a scratch copy)', () => {
  it('bumps the changed package and writes its changelog', () => {
    const expected = bump(bumped!.version!, 'minor');
    expect(manifestIn(bumped!).version).toBe(expected);
    const changelog = changelogIn(bumped!);
    expect(changelog).toContain(`## ${expected}`);
    expect(changelog).toContain('### Minor Changes');
    expect(changelog).toContain(summary);
    expect(existsSync(join(scratch, '.changeset', 'release-tooling-test.md'))).toBe(false);
  });

  it('bumps every dependent by a patch and records the dependency update in its changelog', () => {
    const newVersion = bump(bumped!.version!, 'minor');
    for (const dependent of dependentsOf(bumped!.name)) {
      const manifest = manifestIn(dependent);
      expect(manifest.version, dependent.name).toBe(bump(dependent.version!, 'patch'));
      const changelog = changelogIn(dependent);
      expect(changelog, dependent.name).toContain('Updated dependencies');
      expect(changelog, dependent.name).toContain(`${bumped!.name}@${newVersion}`);
      // The workspace keeps its protocol; pnpm turns it into a real range when packing.
      const range = manifest.dependencies?.[bumped!.name] ?? manifest.peerDependencies?.[bumped!.name];
      expect(range, dependent.name).toBe(
        dependent.manifest.dependencies?.[bumped!.name] ??
          dependent.manifest.peerDependencies?.[bumped!.name],
      );
    }
  });

  it('leaves packages that the changeset does not reach, and private ones, alone', () => {
    const reached = new Set([bumped!.name, ...dependentsOf(bumped!.name).map((pkg) => pkg.name)]);
    for (const pkg of packages.filter((candidate) => !reached.has(candidate.name))) {
      // A dependent of a dependent may be bumped too; only packages outside the graph must not.
      const transitively = workspaceDependencies(pkg, reached).length > 0;
      if (!transitively) expect(manifestIn(pkg).version, pkg.name).toBe(pkg.version);
    }
    for (const pkg of packages.filter((candidate) => candidate.private)) {
      expect(manifestIn(pkg).version, pkg.name).toBe(pkg.version);
    }
  });

  it('makes the packed dependent require the new version of its dependency', async () => {
    const dependent = dependentsOf(bumped!.name)[0]!;
    const destination = mkdtempSync(join(scratch, 'pack-'));
    const packed = await packPackage(join(scratch, dependent.relativeDir), destination);
    const published = JSON.parse(
      execFileSync('tar', ['-xzOf', packed.tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as PackageManifest;
    expect(published.version).toBe(bump(dependent.version!, 'patch'));
    const range = published.dependencies?.[bumped!.name] ?? published.peerDependencies?.[bumped!.name];
    expect(range).toBe(`^${bump(bumped!.version!, 'minor')}`);
  });
});
