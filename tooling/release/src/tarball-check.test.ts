import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';
import { checkTarball, packPackage, type TarballProblem } from './tarball-check.js';
import { findWorkspaceRoot, type PackageManifest, readWorkspace } from './workspace.js';

// A COPY of @downhill/core (the package every other one builds on), built for real, then
// packed and checked with its manifest intact and with its exports broken in several ways.
const root = findWorkspaceRoot();
const core = readWorkspace(root).find((pkg) => pkg.name === '@downhill/core');
let scratch = '';
let copy = '';
let original: PackageManifest;

beforeAll(async () => {
  if (!core) throw new Error('this test copies packages/core, which the workspace does not have');
  scratch = mkdtempSync(join(tmpdir(), 'downhill-broken-export-'));
  copy = join(scratch, 'packages', 'core');
  // Same relative layout, so tsconfig.build.json's "extends": "../../tsconfig.base.json" holds.
  cpSync(join(root, 'tsconfig.base.json'), join(scratch, 'tsconfig.base.json'));
  cpSync(core.dir, copy, {
    recursive: true,
    filter: (source) => !/[/\\](?:node_modules|dist|\.turbo)(?:$|[/\\])/.test(source.slice(core.dir.length)),
  });
  symlinkSync(join(core.dir, 'node_modules'), join(copy, 'node_modules'), 'dir');
  // Outside the workspace pnpm cannot rewrite `workspace:` ranges; the dev tooling is not
  // what this test is about, so the copy drops it.
  const manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as PackageManifest;
  original = { ...manifest, devDependencies: {} };
  writeFileSync(join(copy, 'package.json'), JSON.stringify(original, null, 2));
  await runCommand('pnpm', ['run', 'build'], { cwd: copy });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function checkWith(manifest: PackageManifest): Promise<TarballProblem[]> {
  writeFileSync(join(copy, 'package.json'), JSON.stringify(manifest, null, 2));
  const destination = mkdtempSync(join(scratch, 'pack-'));
  return checkTarball(await packPackage(copy, destination));
}

const toolsOf = (problems: readonly TarballProblem[]) => [...new Set(problems.map((p) => p.tool))].sort();
const typeChecks = (problems: readonly TarballProblem[]) => problems.filter((p) => p.tool !== 'contents');

describe('package checks on a copy of @downhill/core', () => {
  it('pass publint and attw for the copy as it is (so the failures below come from the breakage)', async () => {
    expect(typeChecks(await checkWith(original))).toEqual([]);
  });

  it('fail when an export points at a file that does not exist', async () => {
    const published = { types: './dist/main.d.ts', default: './dist/main.js' };
    const problems = await checkWith({
      ...original,
      exports: { '.': { development: './src/index.ts', ...published }, './package.json': './package.json' },
      publishConfig: {
        ...original.publishConfig,
        exports: { '.': published, './package.json': './package.json' },
      },
    });
    expect(toolsOf(typeChecks(problems))).toEqual(['attw', 'publint']);
    const publint = problems.filter((p) => p.tool === 'publint').map((p) => p.message);
    expect(publint).toContain(
      'error: pkg.exports["."].default is ./dist/main.js but the file does not exist.',
    );
    expect(problems.find((p) => p.tool === 'attw')?.message).toContain('Resolution failed');
  });

  it('fail when "types" comes after "default"', async () => {
    const published = { default: './dist/index.js', types: './dist/index.d.ts' };
    const problems = await checkWith({
      ...original,
      publishConfig: {
        ...original.publishConfig,
        exports: { '.': published, './package.json': './package.json' },
      },
    });
    expect(problems.filter((p) => p.tool === 'publint').map((p) => p.message)).toEqual([
      'error: pkg.exports["."].types should be the first in the object as conditions are order-sensitive so it can be resolved by TypeScript.',
      'error: pkg.exports["."].default should be the last in the object so it doesn\'t take precedence over the keys following it.',
    ]);
  });

  it('fail when the export declares types that do not exist', async () => {
    const published = { types: './dist/missing.d.ts', default: './dist/index.js' };
    const problems = await checkWith({
      ...original,
      publishConfig: {
        ...original.publishConfig,
        exports: { '.': published, './package.json': './package.json' },
      },
    });
    expect(toolsOf(typeChecks(problems))).toEqual(['attw', 'publint']);
    expect(problems.filter((p) => p.tool === 'publint').map((p) => p.message)).toEqual([
      'error: pkg.exports["."].types is ./dist/missing.d.ts but the file does not exist.',
    ]);
    // TypeScript only finds the types by falling back past the broken condition.
    expect(problems.find((p) => p.tool === 'attw')?.message).toContain('Used fallback condition');
  });

  it('fail when the development condition (-> src) would be published', async () => {
    const problems = await checkWith({ ...original, publishConfig: { access: 'public' } });
    expect(problems.map((p) => `${p.tool}: ${p.message}`)).toContain(
      'contents: published package.json still has the "development" condition (it points at src)',
    );
  });
});
