import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDependencyCycles, workspaceGraph } from './dependency-cycles.js';
import { findBoundaryViolations } from './import-boundaries.js';
import { checkManifest } from './manifest-check.js';
import { runCommand } from './run-command.js';
import { checkTarball, packPackage } from './tarball-check.js';
import { publishablePackages, readWorkspace, type WorkspacePackage } from './workspace.js';

/** Options for {@link runPackageChecks}. */
export interface PackageCheckOptions {
  readonly root: string;
  /** Build the publishable packages with turbo first (default true). */
  readonly build?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Builds the given packages (and what they depend on) through turbo, which caches results.
 * `--continue` builds every package it can, so one broken package does not hide the findings
 * on the others. Resolves with turbo's exit code.
 */
export async function buildPackages(root: string, packages: readonly WorkspacePackage[]): Promise<number> {
  if (packages.length === 0) return 0;
  const filters = packages.map((pkg) => `--filter=${pkg.name}`);
  const { code } = await runCommand(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--continue', '--output-logs=errors-only', ...filters],
    { cwd: root, echo: true, check: false, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  return code;
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the input order in the result. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Every package check of issue 10, over the packages the workspace has right now: manifest
 * hygiene, import boundaries, dependency cycles, then `pnpm pack` + publint (strict) + attw on
 * each publishable package's tarball. Logs each finding and returns how many there were.
 */
export async function runPackageChecks(options: PackageCheckOptions): Promise<number> {
  const { root, build = true, log = console.log } = options;
  const packages = readWorkspace(root);
  const publishable = publishablePackages(packages);
  log(
    `workspace: ${packages.length} packages, ${publishable.length} publishable: ${publishable.map((p) => p.name).join(', ')}`,
  );
  let failures = 0;
  const fail = (line: string) => {
    failures += 1;
    log(`  ✗ ${line}`);
  };

  log('\nmanifests (exports, files, sideEffects, license, repository, engines, README):');
  for (const pkg of packages) {
    for (const problem of checkManifest(pkg, packages)) fail(`${problem.where}: ${problem.message}`);
  }

  log('\nimport boundaries (only @downhill/x entry points, no deep or escaping paths):');
  for (const violation of findBoundaryViolations(root, packages)) {
    fail(`${violation.location} "${violation.specifier}": ${violation.message}`);
  }

  log('\ndependency graph:');
  for (const cycle of findDependencyCycles(workspaceGraph(packages))) fail(`cycle: ${cycle.join(' -> ')}`);

  if (build) {
    log('\nbuilding publishable packages (turbo) ...');
    if ((await buildPackages(root, publishable)) !== 0) fail('turbo build failed (its output is above)');
  }
  log('\npacked tarballs (pnpm pack, publint --strict, attw --profile esm-only):');
  const destination = mkdtempSync(join(tmpdir(), 'downhill-pack-'));
  try {
    const results = await mapWithLimit(publishable, 2, async (pkg) => {
      try {
        const packed = await packPackage(pkg.dir, destination);
        return { pkg, packed, problems: await checkTarball(packed) };
      } catch (error) {
        return { pkg, packed: undefined, problems: [{ tool: 'pack', message: (error as Error).message }] };
      }
    });
    for (const { pkg, packed, problems } of results) {
      const label = packed ? `${pkg.name}@${packed.version} (${packed.files.length} files)` : pkg.name;
      if (problems.length === 0) log(`  ✓ ${label}`);
      for (const problem of problems)
        fail(`${label} [${problem.tool}] ${problem.message.split('\n').join('\n      ')}`);
    }
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
  log(failures === 0 ? '\npackage checks passed' : `\npackage checks failed: ${failures} problem(s)`);
  return failures;
}
