import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { runCommand } from './run-command.js';

/** The tarball `pnpm pack` wrote, and what it holds. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
  readonly files: readonly string[];
}

/** One finding of a tarball check, tagged with the tool that made it. */
export interface TarballProblem {
  readonly tool: 'publint' | 'attw' | 'contents';
  readonly message: string;
}

/**
 * Packs a package folder with `pnpm pack`, which applies `publishConfig` (dropping the
 * `development` export condition that points at src) and rewrites `workspace:` ranges, i.e.
 * exactly what `pnpm publish` would upload.
 */
export async function packPackage(dir: string, destination: string): Promise<PackedPackage> {
  const { stdout } = await runCommand('pnpm', ['pack', '--pack-destination', destination, '--json'], {
    cwd: dir,
  });
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
    name: string;
    version: string;
    filename: string;
    files: { path: string }[];
  };
  return {
    name: report.name,
    version: report.version,
    tarball: report.filename,
    files: report.files.map((file) => file.path),
  };
}

const require = createRequire(import.meta.url);
const attwBin = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');

/** Files that must never ship: tests and build caches. */
const UNWANTED_FILE = /(?:\.test\.[cm]?[jt]sx?$|\.tsbuildinfo$)/;

/**
 * Test helpers kept in src (`test-*.ts` files, which tsconfig.build.json excludes from the build): a
 * `test-` source file that has no compiled counterpart in dist.
 */
function shippedTestHelpers(files: readonly string[]): string[] {
  const shipped = new Set(files);
  return files.filter((file) => {
    const match = /^src\/((?:.*\/)?test-[^/]+)\.tsx?$/.exec(file);
    return match !== null && !shipped.has(`dist/${match[1]}.js`);
  });
}

/**
 * Lints a packed tarball: publint in strict mode (warnings count as errors), Are The Types
 * Wrong (`attw`, profile `esm-only`: Downhill ships ESM only, so CommonJS `require` and the
 * legacy node10 resolution are out of scope), and the tarball's own contents (a README, no
 * tests or build caches, no leftover `workspace:` ranges or `development` condition).
 * Returns every problem found; an empty list means the package is fit to publish.
 */
export async function checkTarball(packed: PackedPackage): Promise<TarballProblem[]> {
  const problems: TarballProblem[] = [];
  const data = readFileSync(packed.tarball);
  const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball }, strict: true, level: 'warning' });
  for (const message of messages) {
    problems.push({
      tool: 'publint',
      message: `${message.type}: ${formatMessage(message, pkg, { color: false })}`,
    });
  }

  const attw = await runCommand(
    process.execPath,
    [attwBin, packed.tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'],
    { cwd: dirname(packed.tarball), check: false },
  );
  if (attw.code !== 0) {
    problems.push({ tool: 'attw', message: `${attw.stdout}${attw.stderr}`.trim() });
  }

  if (!packed.files.some((file) => /^readme(?:\.md)?$/i.test(file))) {
    problems.push({ tool: 'contents', message: 'no README.md in the tarball' });
  }
  for (const file of packed.files.filter((path) => UNWANTED_FILE.test(path))) {
    problems.push({ tool: 'contents', message: `ships ${file} (exclude it in "files")` });
  }
  for (const file of shippedTestHelpers(packed.files)) {
    problems.push({ tool: 'contents', message: `ships the test helper ${file} (exclude it in "files")` });
  }
  const manifestText = JSON.stringify(pkg);
  if (manifestText.includes('"workspace:')) {
    problems.push({ tool: 'contents', message: 'published package.json still has a "workspace:" range' });
  }
  if (manifestText.includes('"development"')) {
    problems.push({
      tool: 'contents',
      message: 'published package.json still has the "development" condition (it points at src)',
    });
  }
  return problems;
}
