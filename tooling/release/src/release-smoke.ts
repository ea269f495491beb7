import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundleSize, checkTreeShaking, fullBundleSize, ownBundleSize } from './bundle-report.js';
import { type LocalRegistry, startLocalRegistry } from './local-registry.js';
import { runCommand } from './run-command.js';
import {
  type PackageManifest,
  publishablePackages,
  readWorkspace,
  type WorkspacePackage,
} from './workspace.js';

/**
 * A fresh project outside the workspace that installs some packages and runs a TypeScript file.
 * Its template is `tooling/release/consumers/<folder>/`: a package.json whose `dependencies`
 * are the only `@downhill/*` packages it installs (versions filled in at run time) and `src/`.
 */
export interface ConsumerScenario {
  readonly folder: string;
  /** Compiled file to run with node. */
  readonly main: string;
  /** Exports whose single import must tree-shake (package -> export name). */
  readonly treeShaking?: readonly { readonly packageName: string; readonly exportName: string }[];
}

/** Issue 10's two installs: optimizers + schedules alone; core + models + data training a model. */
export const SCENARIOS: readonly ConsumerScenario[] = [
  {
    folder: 'optimizers-schedules',
    main: 'dist/main.js',
    treeShaking: [
      { packageName: '@downhill/optimizers', exportName: 'sgd' },
      { packageName: '@downhill/schedules', exportName: 'cosineDecay' },
    ],
  },
  { folder: 'core-models-data', main: 'dist/train.js' },
];

const consumersDir = resolve(fileURLToPath(import.meta.url), '..', '..', 'consumers');

/** The packages a scenario's template installs: the keys of its package.json `dependencies`. */
export function scenarioInstalls(scenario: ConsumerScenario): string[] {
  const manifest = JSON.parse(
    readFileSync(join(consumersDir, scenario.folder, 'package.json'), 'utf8'),
  ) as PackageManifest;
  return Object.keys(manifest.dependencies ?? {}).sort();
}

/** The `@downhill/*` packages installing `names` brings in (their runtime dependency closure). */
export function installClosure(names: readonly string[], packages: readonly WorkspacePackage[]): string[] {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const manifest = byName.get(name)?.manifest;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
      for (const dependency of Object.keys(manifest?.[field] ?? {}))
        if (byName.has(dependency)) visit(dependency);
    }
  };
  names.forEach(visit);
  return [...seen].sort();
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

function installedVersion(root: string, name: string): string {
  return (
    JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as PackageManifest
  ).version!;
}

/** Environment for npm/pnpm talking to the local registry and nothing else. */
function registryEnv(registry: LocalRegistry): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_registry: registry.url,
    npm_config_userconfig: registry.npmrc,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    TURBO_TELEMETRY_DISABLED: '1',
  };
}

/** Options for {@link runReleaseSmokeTest}. */
export interface ReleaseSmokeOptions {
  readonly root: string;
  readonly log?: (line: string) => void;
}

/**
 * Issue 10's release smoke test. Starts Verdaccio, runs the maintainers' `pnpm release`
 * (turbo build + `changeset publish`, without git tags) against it, checks every publishable
 * package arrived, prints each one's bundle size, then for each scenario makes a fresh project
 * in the temp folder, installs only the scenario's packages from the registry, type-checks its
 * TypeScript with the project's own `tsc` and runs it with node, and checks tree-shaking with
 * esbuild. Fails (rejects) naming every package the scenarios need that the workspace lacks.
 */
export async function runReleaseSmokeTest(options: ReleaseSmokeOptions): Promise<void> {
  const { root, log = console.log } = options;
  const started = Date.now();
  const packages = readWorkspace(root);
  const publishable = publishablePackages(packages);
  const publishableNames = new Set(publishable.map((pkg) => pkg.name));
  const missing = [...new Set(SCENARIOS.flatMap(scenarioInstalls))].filter(
    (name) => !publishableNames.has(name),
  );
  const failures: string[] = [];
  if (missing.length > 0) {
    log(
      `! the workspace has no publishable ${missing.join(', ')}: the scenarios that need them will not run`,
    );
  }

  const registry = await startLocalRegistry();
  const work = mkdtempSync(join(tmpdir(), 'downhill-release-smoke-'));
  log(`verdaccio on ${registry.url} (log: ${registry.logFile}); scratch projects in ${work}`);
  try {
    log('\n$ pnpm release --no-git-tag   (turbo run build && changeset publish, against the local registry)');
    await runCommand('pnpm', ['release', '--no-git-tag'], {
      cwd: root,
      env: registryEnv(registry),
      echo: true,
    });

    log('\npublished:');
    const tarballs = new Map<string, string>();
    for (const pkg of publishable) {
      const response = await fetch(new URL(pkg.name.replace('/', '%2f'), registry.url));
      const document = response.ok
        ? ((await response.json()) as { versions?: Record<string, { dist?: { tarball?: string } }> })
        : {};
      const tarball = document.versions?.[pkg.version ?? '']?.dist?.tarball;
      if (!tarball) {
        failures.push(`${pkg.name}@${pkg.version} is not in the local registry after pnpm release`);
        log(`  ✗ ${pkg.name}@${pkg.version}`);
      } else {
        tarballs.set(pkg.name, tarball);
        log(`  ✓ ${pkg.name}@${pkg.version}`);
      }
    }

    const sizes = new Map<string, { own: BundleSize; full?: BundleSize }>();
    const unpacked = join(work, 'unpacked');
    for (const [name, tarballUrl] of tarballs) {
      const folder = join(unpacked, name);
      mkdirSync(folder, { recursive: true });
      const file = join(folder, 'package.tgz');
      writeFileSync(file, Buffer.from(await (await fetch(tarballUrl)).arrayBuffer()));
      execFileSync('tar', ['-xzf', file, '-C', folder, '--strip-components=1']);
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        exports?: { '.'?: { default?: string } };
      };
      const entry = manifest.exports?.['.']?.default;
      if (entry && existsSync(join(folder, entry))) {
        sizes.set(name, { own: await ownBundleSize(join(folder, entry)) });
      } else {
        failures.push(
          `${name}: the published tarball has no file at exports["."].default (${entry ?? 'not set'})`,
        );
      }
    }

    for (const scenario of SCENARIOS) {
      const installs = scenarioInstalls(scenario);
      const absent = installs.filter((name) => !tarballs.has(name));
      if (absent.length > 0) {
        failures.push(`scenario ${scenario.folder} needs ${absent.join(', ')}, which was not published`);
        continue;
      }
      log(`\n--- fresh project: npm install ${installs.join(' ')} (scenario ${scenario.folder})`);
      const project = join(work, scenario.folder);
      cpSync(join(consumersDir, scenario.folder), project, { recursive: true });
      const template = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as PackageManifest;
      const dependencies = Object.fromEntries(
        installs.map((name) => [name, `^${publishable.find((pkg) => pkg.name === name)!.version}`]),
      );
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify(
          {
            ...template,
            dependencies,
            devDependencies: {
              typescript: installedVersion(root, 'typescript'),
              '@types/node': installedVersion(join(root, 'tooling', 'release'), '@types/node'),
            },
          },
          null,
          2,
        ),
      );
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2022',
              lib: ['ES2023'],
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              strict: true,
              noUncheckedIndexedAccess: true,
              // Type-check the published declarations too, not only the consumer's code.
              skipLibCheck: false,
              types: ['node'],
              rootDir: 'src',
              outDir: 'dist',
            },
            include: ['src'],
          },
          null,
          2,
        ),
      );
      const env = registryEnv(registry);
      await runCommand('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: project,
        env,
      });

      const installed = readdirSync(join(project, 'node_modules', '@downhill'))
        .map((name) => `@downhill/${name}`)
        .sort();
      const expected = installClosure(installs, packages);
      log(`installed: ${installed.join(', ')}`);
      if (installed.join() !== expected.join()) {
        failures.push(
          `scenario ${scenario.folder}: node_modules/@downhill holds ${installed.join(', ')}; expected exactly ${expected.join(', ')}`,
        );
      }

      for (const name of installed) {
        const published = JSON.parse(
          readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8'),
        ) as PackageManifest;
        for (const [dependency, range] of Object.entries(published.dependencies ?? {})) {
          const target = packages.find((pkg) => pkg.name === dependency);
          if (target && range !== `^${target.version}`) {
            failures.push(
              `${name} was published with ${dependency}@"${range}"; expected "^${target.version}"`,
            );
          }
        }
        if (JSON.stringify(published.exports ?? {}).includes('"development"')) {
          failures.push(`${name} was published with the "development" export condition (it points at src)`);
        }
      }

      log('$ tsc -p tsconfig.json');
      await runCommand(
        process.execPath,
        [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
        {
          cwd: project,
          echo: true,
        },
      );
      log(`$ node ${scenario.main}`);
      await runCommand(process.execPath, [scenario.main], { cwd: project, echo: true });

      for (const name of installs) {
        const size = sizes.get(name);
        if (size) sizes.set(name, { ...size, full: await fullBundleSize(project, name) });
      }
      for (const target of scenario.treeShaking ?? []) {
        const report = await checkTreeShaking({ resolveDir: project, ...target });
        log(
          `tree-shaking: import { ${report.exportName} } from '${target.packageName}' -> ` +
            `${formatBytes(report.single.minified)} min / ${formatBytes(report.single.gzip)} gzip ` +
            `(whole package: ${formatBytes(report.whole.minified)} / ${formatBytes(report.whole.gzip)}); ` +
            `${report.includedFiles.length} of ${report.packageFiles} package files bundled, ` +
            `${report.neededFiles.length} reachable from its module`,
        );
        if (report.unneededFiles.length > 0) {
          failures.push(
            `tree-shaking: import { ${report.exportName} } from '${target.packageName}' also bundles ${report.unneededFiles.join(', ')}, which it does not import`,
          );
        }
        if (report.single.minified >= report.whole.minified) {
          failures.push(
            `tree-shaking: import { ${report.exportName} } is not smaller than the whole of ${target.packageName}`,
          );
        }
      }
    }

    log(
      '\nbundle sizes (esbuild, minified; own = the package alone with its imports external, full = with dependencies):',
    );
    log(
      `  ${'package'.padEnd(24)} ${'own min'.padStart(10)} ${'own gzip'.padStart(10)} ${'full min'.padStart(10)} ${'full gzip'.padStart(10)}`,
    );
    for (const [name, { own, full }] of [...sizes].sort(([a], [b]) => a.localeCompare(b))) {
      log(
        `  ${name.padEnd(24)} ${formatBytes(own.minified).padStart(10)} ${formatBytes(own.gzip).padStart(10)} ` +
          `${(full ? formatBytes(full.minified) : '-').padStart(10)} ${(full ? formatBytes(full.gzip) : '-').padStart(10)}`,
      );
    }
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
  if (missing.length > 0) {
    failures.unshift(
      `missing packages: ${missing.join(', ')} (the release smoke test installs them from the registry)`,
    );
  }
  log(`\nrelease smoke test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (failures.length > 0) throw new Error(`release smoke test failed:\n- ${failures.join('\n- ')}`);
  log('release smoke test passed');
}
