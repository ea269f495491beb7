import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalRegistry, verdaccioConfig } from './local-registry.js';
import { runCommand } from './run-command.js';
import { writeTestWorkspace } from './test-workspace.js';

describe('startLocalRegistry', () => {
  it('serves on 127.0.0.1, takes an @downhill package from npm publish, and cleans up on stop', async () => {
    const registry = await startLocalRegistry({ uplink: 'http://127.0.0.1:9/' });
    const folder = dirname(registry.npmrc);
    let root = '';
    try {
      expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      root = writeTestWorkspace({
        'pkg/package.json': {
          name: '@downhill/registry-fixture',
          version: '1.2.3',
          type: 'module',
          files: ['index.js'],
        },
        'pkg/index.js': 'export const answer = 42;\n',
      });
      await runCommand('npm', ['publish', '--userconfig', registry.npmrc, '--registry', registry.url], {
        cwd: join(root, 'pkg'),
        env: { ...process.env, npm_config_registry: registry.url },
      });
      const response = await fetch(new URL('@downhill%2fregistry-fixture', registry.url));
      const document = (await response.json()) as { versions: Record<string, unknown> };
      expect(Object.keys(document.versions)).toEqual(['1.2.3']);
    } finally {
      await registry.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    }
    expect(existsSync(folder)).toBe(false);
    await expect(fetch(new URL('-/ping', registry.url))).rejects.toThrow();
  });
});

describe('verdaccioConfig', () => {
  it('keeps @downhill local (never proxied) and proxies everything else to the uplink', () => {
    const config = verdaccioConfig('/tmp/x', 'http://mirror.invalid/');
    const downhill = config.slice(config.indexOf("'@downhill/*'"), config.indexOf("'**'"));
    expect(downhill).toContain('publish: $all');
    expect(downhill).not.toContain('proxy');
    expect(config.slice(config.indexOf("'**'"))).toContain('proxy: upstream');
    expect(config).toContain('url: "http://mirror.invalid/"');
    expect(config).toContain('storage: "/tmp/x/storage"');
  });
});
