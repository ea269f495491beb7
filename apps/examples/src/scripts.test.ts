import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  scripts: Record<string, string>;
};
const examples = Object.entries(manifest.scripts).filter(([, command]) =>
  command.includes('--import tsx src/'),
);

describe('every example runs as `pnpm --filter examples <name>` runs it', () => {
  it('has a script per example file', () => {
    expect(examples.map(([name]) => name).sort()).toEqual(
      [
        'batch-sizes',
        'iris-mlp',
        'learning-rates',
        'line-and-cubic',
        'line-fit',
        'local-minima',
        'rosenbrock-race',
        'saddle-point',
        'sweep-breast-cancer',
        'warm-restarts-swa',
      ].sort(),
    );
    for (const [name, command] of examples) {
      expect(command).toBe(`node --conditions=development --import tsx src/${name}.ts`);
    }
  });

  it.each(examples)(
    '%s exits cleanly and prints its results',
    async (_name, command) => {
      const args = command.split(' ').slice(1);
      const { stdout, stderr } = await run(process.execPath, args, { cwd: root, timeout: 60_000 });
      expect(stderr).toBe('');
      expect(stdout.split('\n').length).toBeGreaterThan(5);
    },
    60_000,
  );
});
