import { spawn } from 'node:child_process';

/** What a finished child process printed, and how it ended. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Stream the child's output to this process's stdout/stderr as well as capturing it. */
  readonly echo?: boolean;
  /** Throw when the exit code is not 0 (default true). */
  readonly check?: boolean;
}

/**
 * Runs a command without a shell and resolves with its captured output. With `check` (the
 * default) a non-zero exit rejects with an error that names the command, the folder and the
 * tail of what it printed, so a failing step in CI says what failed and where.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<CommandResult> {
  const { cwd, env = process.env, echo = false, check = true } = options;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (echo) process.stdout.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (echo) process.stderr.write(chunk);
    });
    child.on('error', (error) =>
      reject(new Error(`cannot start \`${command}\` in ${cwd}: ${error.message}`)),
    );
    child.on('close', (code, signal) => {
      const result = { code: code ?? (signal ? 128 : 1), stdout, stderr };
      if (check && result.code !== 0) {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
        reject(
          new Error(
            `\`${command} ${args.join(' ')}\` failed in ${cwd} (exit ${result.code}${signal ? `, ${signal}` : ''}):\n${tail}`,
          ),
        );
      } else {
        resolvePromise(result);
      }
    });
  });
}
