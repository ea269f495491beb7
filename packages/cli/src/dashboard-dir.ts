import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dashboard's static build: `--dashboard DIR` when given, else the workspace's
 * `apps/dashboard/dist` next to this package (a checkout of the monorepo), when it has been built.
 */
export function findDashboardDir(explicit: string | undefined): string | undefined {
  if (explicit !== undefined) {
    if (!existsSync(join(explicit, 'index.html'))) {
      throw new Error(`--dashboard ${explicit}: no index.html there (build the dashboard app first)`);
    }
    return explicit;
  }
  // From packages/cli/dist (or src) up to the workspace root.
  const candidate = fileURLToPath(new URL('../../../apps/dashboard/dist/', import.meta.url));
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}
