// Shared vitest settings for every package: resolve workspace packages to their `src`
// through the `development` export condition, so tests never need a build.
import { defineProject } from 'vitest/config';

/** @param {string} name @param {import('vitest/config').UserWorkspaceConfig['test']} [test] */
export function packageProject(name, test = {}) {
  return defineProject({
    resolve: { conditions: ['development'] },
    ssr: { resolve: { conditions: ['development'] } },
    // Generous timeouts: property tests and servers share two cores with every other package's
    // tests under turbo, and a test is about behaviour, never about speed (benchmarks are).
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...test,
    },
  });
}
