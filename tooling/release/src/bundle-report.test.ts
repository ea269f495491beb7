import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTreeShaking, reExportSources } from './bundle-report.js';
import { writeTestWorkspace } from './test-workspace.js';

// A published-looking package in a consumer's node_modules: an index of named re-exports,
// `a` standing alone, `b` importing a helper, and `c` with a top-level side effect.
function consumerWith(manifest: object): string {
  const pkg = 'node_modules/@fixture/shapes';
  return writeTestWorkspace({
    [`${pkg}/package.json`]: {
      name: '@fixture/shapes',
      type: 'module',
      exports: { '.': { default: './dist/index.js' } },
      ...manifest,
    },
    [`${pkg}/dist/index.js`]:
      "export { a } from './a.js';\nexport { b } from './b.js';\nexport { c, cc as renamed } from './c.js';\n",
    [`${pkg}/dist/a.js`]:
      "export function a(x) { return x * 2 + 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'.length; }\n",
    [`${pkg}/dist/b.js`]:
      "import { helper } from './helper.js';\nexport function b(x) { return helper(x) + 1; }\n",
    [`${pkg}/dist/helper.js`]:
      "export function helper(x) { return x * 'helper-helper-helper-helper'.length; }\n",
    [`${pkg}/dist/c.js`]:
      "globalThis.registered = ['c-c-c-c-c-c-c-c-c-c-c-c-c-c-c-c-c'];\nexport function c() { return 3; }\nexport const cc = 4;\n",
  });
}

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('checkTreeShaking', () => {
  it('passes when one import bundles only its module and what that module imports', async () => {
    root = consumerWith({ sideEffects: false });
    const report = await checkTreeShaking({
      resolveDir: root,
      packageName: '@fixture/shapes',
      exportName: 'b',
    });
    expect(report.includedFiles).toEqual([
      'node_modules/@fixture/shapes/dist/b.js',
      'node_modules/@fixture/shapes/dist/helper.js',
    ]);
    expect(report.neededFiles).toEqual(report.includedFiles);
    expect(report.unneededFiles).toEqual([]);
    expect(report.packageFiles).toBe(5);
    expect(report.single.minified).toBeLessThan(report.whole.minified);
  });

  it('reports the modules a bundler had to keep when the package does not declare sideEffects: false', async () => {
    root = consumerWith({});
    const report = await checkTreeShaking({
      resolveDir: root,
      packageName: '@fixture/shapes',
      exportName: 'a',
    });
    expect(report.unneededFiles).toEqual(['node_modules/@fixture/shapes/dist/c.js']);
  });

  it('names the export and the package when the export is not re-exported from a module', async () => {
    root = consumerWith({ sideEffects: false });
    await expect(
      checkTreeShaking({ resolveDir: root, packageName: '@fixture/shapes', exportName: 'missing' }),
    ).rejects.toThrow('@fixture/shapes: ./dist/index.js does not re-export "missing" from a module');
  });
});

describe('reExportSources', () => {
  it('maps each re-exported name, renamed ones included, to its module', () => {
    root = consumerWith({});
    const sources = reExportSources(`${root}/node_modules/@fixture/shapes/dist/index.js`);
    expect([...sources.keys()]).toEqual(['a', 'b', 'c', 'renamed']);
    expect(sources.get('renamed')).toBe(`${root}/node_modules/@fixture/shapes/dist/c.js`);
  });
});
