import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkManifest } from './manifest-check.js';
import { writeTestWorkspace } from './test-workspace.js';
import { readWorkspace } from './workspace.js';

const published = { types: './dist/index.d.ts', default: './dist/index.js' };
const goodManifest = {
  name: '@downhill/good',
  version: '0.1.0',
  description: 'A package with everything.',
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  repository: { type: 'git', url: 'git+https://example.invalid/downhill.git', directory: 'packages/good' },
  engines: { node: '>=20' },
  exports: { '.': { development: './src/index.ts', ...published } },
  publishConfig: { exports: { '.': published } },
  files: ['dist'],
  devDependencies: { '@downhill/preset': 'workspace:*' },
};
const goodReadme = "# good\n\n```ts\nimport { good } from '@downhill/good';\n```\n";

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function problemsOf(files: Record<string, string | object>, name: string): string[] {
  if (root) rmSync(root, { recursive: true, force: true });
  root = writeTestWorkspace({
    'packages/preset/package.json': { name: '@downhill/preset', version: '0.0.0', private: true },
    ...files,
  });
  const packages = readWorkspace(root);
  return checkManifest(packages.find((pkg) => pkg.name === name)!, packages).map(
    (p) => `${p.where}: ${p.message}`,
  );
}

describe('checkManifest', () => {
  it('accepts a package shaped like packages/core, with a README example', () => {
    expect(
      problemsOf(
        { 'packages/good/package.json': goodManifest, 'packages/good/README.md': goodReadme },
        '@downhill/good',
      ),
    ).toEqual([]);
  });

  it('accepts a shell example running the command of a package with a bin, and names the command when missing', () => {
    const cli = { ...goodManifest, name: '@downhill/tool', bin: { downhill: './dist/bin.js' } };
    cli.repository = { ...goodManifest.repository, directory: 'packages/tool' };
    const withCommand = '# tool\n\n```sh\nnpx downhill demo --steps 100\n```\n';
    expect(
      problemsOf(
        { 'packages/tool/package.json': cli, 'packages/tool/README.md': withCommand },
        '@downhill/tool',
      ),
    ).toEqual([]);
    const without = '# tool\n\n```sh\nnpm install @downhill/tool\n```\n';
    expect(
      problemsOf({ 'packages/tool/package.json': cli, 'packages/tool/README.md': without }, '@downhill/tool'),
    ).toEqual([
      "packages/tool/README.md: no ```ts example that imports from '@downhill/tool', nor a ```sh example running downhill",
    ]);
  });

  it('names every missing field and the README', () => {
    const bare = {
      name: '@downhill/bare',
      version: '0.1.0',
      exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' } },
    };
    expect(problemsOf({ 'packages/bare/package.json': bare }, '@downhill/bare')).toEqual([
      'packages/bare/package.json "description": missing (npm shows it in search results)',
      'packages/bare/package.json "type": must be "module" (Downhill ships ESM only)',
      'packages/bare/package.json "license": missing (use "MIT")',
      'packages/bare/package.json "sideEffects": missing: set false (or list the files with side effects) so bundlers can tree-shake',
      'packages/bare/package.json "files": missing: list what ships (e.g. ["dist", "src", "!src/**/*.test.ts"])',
      'packages/bare/package.json "engines": missing "node" range (e.g. ">=20")',
      'packages/bare/package.json "repository": missing: { "type": "git", "url": ..., "directory": ... }',
      'packages/bare/package.json "publishConfig": published exports["."]: "types" must be the first condition (is default, types)',
      'packages/bare/package.json: no README.md in packages/bare (npm shows it; it needs a runnable example)',
    ]);
  });

  it('rejects a published development condition, private or unversioned dependencies, and exact workspace pins', () => {
    const manifest = {
      ...goodManifest,
      publishConfig: undefined,
      dependencies: { '@downhill/preset': 'workspace:^', '@downhill/core': 'workspace:*' },
      devDependencies: { '@downhill/nover': 'workspace:*' },
    };
    const problems = problemsOf(
      {
        'packages/good/package.json': manifest,
        'packages/good/README.md': '# good\n\nNo example here.\n',
        'packages/core/package.json': { name: '@downhill/core', version: '1.0.0' },
        'packages/nover/package.json': { name: '@downhill/nover', private: true },
      },
      '@downhill/good',
    );
    expect(problems).toEqual([
      'packages/good/package.json "devDependencies": @downhill/nover has no "version" in packages/nover/package.json, so pnpm cannot replace "workspace:*" when packing (add "version": "0.0.0")',
      'packages/good/package.json "publishConfig": exports use the "development" condition (-> src) but there is no publishConfig.exports without it',
      'packages/good/package.json "publishConfig": published exports["."] still has the "development" condition',
      'packages/good/package.json "publishConfig": published exports["."]: "types" must be the first condition (is development, types, default)',
      'packages/good/package.json "dependencies": depends on @downhill/preset, which is private and never published',
      'packages/good/package.json "dependencies": @downhill/core: use "workspace:^" so the published range lets users upgrade packages one at a time',
      "packages/good/README.md: no ```ts example that imports from '@downhill/good'",
    ]);
  });
});
