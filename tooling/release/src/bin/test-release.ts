// `pnpm test:release`: publish every package to a local Verdaccio and install them for real.
import { runReleaseSmokeTest } from '../release-smoke.js';
import { findWorkspaceRoot } from '../workspace.js';

try {
  await runReleaseSmokeTest({ root: findWorkspaceRoot() });
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  process.exitCode = 1;
}
