import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { findBoundaryViolations, splitBareSpecifier } from './import-boundaries.js';
import { writeTestWorkspace } from './test-workspace.js';
import { readWorkspace } from './workspace.js';

const core = {
  name: '@downhill/core',
  version: '1.0.0',
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
};

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function violationsOf(files: Record<string, string | object>) {
  root = writeTestWorkspace({
    'packages/core/package.json': core,
    'packages/core/src/index.ts': '',
    ...files,
  });
  return findBoundaryViolations(root, readWorkspace(root));
}

describe('findBoundaryViolations', () => {
  it('accepts imports through entry points, exported subpaths, relative paths inside the package', () => {
    const violations = violationsOf({
      'packages/adam/package.json': {
        name: '@downhill/adam',
        version: '1.0.0',
        dependencies: { '@downhill/core': 'workspace:^' },
      },
      'packages/adam/src/adam.ts': [
        "import { dot } from '@downhill/core';",
        "import type { Optimizer } from '@downhill/core';",
        "import manifest from '@downhill/core/package.json' with { type: 'json' };",
        "import { helper } from './helper.js';",
        "import { readFileSync } from 'node:fs';",
        "import { Observable } from 'rxjs';",
      ].join('\n'),
    });
    expect(violations).toEqual([]);
  });

  it('reports deep imports into another package, with file, line and column', () => {
    const violations = violationsOf({
      'packages/adam/package.json': {
        name: '@downhill/adam',
        version: '1.0.0',
        dependencies: { '@downhill/core': 'workspace:^' },
      },
      'packages/adam/src/adam.ts':
        "import { dot } from '@downhill/core';\nexport { axpy } from '@downhill/core/src/kernels/blas1.js';\n",
      'packages/adam/src/lazy.ts': "export const load = () => import('@downhill/core/dist/rng.js');\n",
    });
    expect(violations).toEqual([
      {
        location: 'packages/adam/src/adam.ts:2:22',
        specifier: '@downhill/core/src/kernels/blas1.js',
        message:
          'deep import into @downhill/core: "./src/kernels/blas1.js" is not in its exports (public: ".", "./package.json")',
      },
      {
        location: 'packages/adam/src/lazy.ts:1:34',
        specifier: '@downhill/core/dist/rng.js',
        message:
          'deep import into @downhill/core: "./dist/rng.js" is not in its exports (public: ".", "./package.json")',
      },
    ]);
  });

  it('reports relative paths that escape the package', () => {
    const violations = violationsOf({
      'packages/adam/package.json': {
        name: '@downhill/adam',
        version: '1.0.0',
        dependencies: { '@downhill/core': 'workspace:^' },
      },
      'packages/adam/src/adam.ts': "import { dot } from '../../core/src/kernels/blas1.js';\n",
    });
    expect(violations.map((v) => [v.location, v.message])).toEqual([
      [
        'packages/adam/src/adam.ts:1:21',
        'relative import leaves @downhill/adam (resolves to packages/core/src/kernels/blas1.js); import the other package by name through its exports',
      ],
    ]);
  });

  it('reports undeclared workspace imports and shipped code that needs a devDependency', () => {
    const violations = violationsOf({
      'packages/adam/package.json': {
        name: '@downhill/adam',
        version: '1.0.0',
        devDependencies: { '@downhill/core': 'workspace:^' },
      },
      'packages/adam/src/adam.ts': "import { dot } from '@downhill/core';\n",
      'packages/adam/src/adam.test.ts': "import { dot } from '@downhill/core';\n",
      'packages/lion/package.json': { name: '@downhill/lion', version: '1.0.0' },
      'packages/lion/src/lion.ts':
        "import { dot } from '@downhill/core';\nimport { x } from '@downhill/nowhere';\n",
    });
    expect(violations.map((v) => `${v.location} ${v.message}`)).toEqual([
      'packages/adam/src/adam.ts:1:21 shipped code of @downhill/adam imports @downhill/core, which is only a devDependency (users will not have it installed)',
      'packages/lion/src/lion.ts:1:21 @downhill/lion imports @downhill/core but does not declare it in package.json',
      'packages/lion/src/lion.ts:2:19 @downhill/nowhere is not a package of this workspace',
    ]);
  });
});

describe('findBoundaryViolations on nested projects', () => {
  it('skips a folder with its own package.json (a separate project with its own dependencies)', () => {
    const violations = violationsOf({
      'packages/tool/package.json': { name: '@downhill/tool', version: '1.0.0', private: true },
      'packages/tool/consumers/app/package.json': { name: 'app', dependencies: { '@downhill/core': '*' } },
      'packages/tool/consumers/app/src/main.ts': "import { dot } from '@downhill/core';\n",
      'packages/tool/consumers/loose/main.ts': "import { dot } from '@downhill/core';\n",
    });
    expect(violations.map((v) => v.location)).toEqual(['packages/tool/consumers/loose/main.ts:1:21']);
  });
});

describe('splitBareSpecifier', () => {
  it('splits scoped and unscoped names from their subpaths', () => {
    expect(splitBareSpecifier('@downhill/core')).toEqual({ name: '@downhill/core', subpath: '.' });
    expect(splitBareSpecifier('@downhill/core/src/x.js')).toEqual({
      name: '@downhill/core',
      subpath: './src/x.js',
    });
    expect(splitBareSpecifier('rxjs/operators')).toEqual({ name: 'rxjs', subpath: './operators' });
  });
});
