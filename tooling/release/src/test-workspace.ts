import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Writes a throwaway workspace for tests: a pnpm-workspace.yaml with `packages/*` and the given
 * files (paths relative to the root; objects are written as JSON). Returns its root folder.
 */
export function writeTestWorkspace(files: Record<string, string | object>): string {
  const root = mkdtempSync(join(tmpdir(), 'downhill-release-test-'));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return root;
}
