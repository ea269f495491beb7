// `pnpm check:packages`: every package check of issue 10; exits 1 when any fails.
import { runPackageChecks } from '../check-packages.js';
import { findWorkspaceRoot } from '../workspace.js';

const failures = await runPackageChecks({
  root: findWorkspaceRoot(),
  build: !process.argv.includes('--no-build'),
});
process.exitCode = failures === 0 ? 0 : 1;
