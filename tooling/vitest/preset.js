// Shared vitest settings for every package: resolve workspace packages to their `src`
// through the `development` export condition, so tests never need a build.
import { defineProject } from 'vitest/config';

/** @param {string} name @param {import('vitest/config').UserWorkspaceConfig['test']} [test] */
export function packageProject(name, test = {}) {
  return defineProject({
    resolve: { conditions: ['development'] },
    ssr: { resolve: { conditions: ['development'] } },
    test: { name, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], ...test },
  });
}
