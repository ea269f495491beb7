const CAUSES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, a file was expected',
  ENOTDIR: 'a path component is not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/**
 * A file-system failure the CLI reports as one line: what it was doing, the full path and the
 * cause (`cannot write /runs/a/events.jsonl: no space left on device (ENOSPC)`).
 */
export class FileError extends Error {
  override readonly name = 'FileError';
  readonly code: string | undefined;

  constructor(
    readonly action: string,
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const text = code && CAUSES[code] ? CAUSES[code] : cause instanceof Error ? cause.message : String(cause);
    super(`cannot ${action} ${path}: ${text}${code ? ` (${code})` : ''}`);
    this.code = code;
  }
}

/** `err` as a {@link FileError} when it is a Node file-system error, else unchanged. */
export function asFileError(err: unknown, action: string, path: string): unknown {
  if (err instanceof FileError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? new FileError(action, path, err) : err;
}
