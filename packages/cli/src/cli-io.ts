import type { ProgressOutput } from './progress-bar.js';

/** The streams a command writes to (process.stdout/stderr in the bin, buffers in tests). */
export interface CliIo {
  readonly stdout: ProgressOutput;
  readonly stderr: ProgressOutput;
}
