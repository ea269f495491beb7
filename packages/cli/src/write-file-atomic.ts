import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { asFileError } from './file-error.js';

let counter = 0;

/** Flushes a directory's entries (a rename is durable only once its directory is). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `text` to `path` atomically: a temporary file beside it, fsync, then rename over `path`.
 * A crash at any point leaves either the old file or the new one, never half of one. With
 * `keepPrevious`, the file being replaced is first renamed to that path.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { keepPrevious?: string } = {},
): Promise<void> {
  const tmp = `${path}.${process.pid}.${counter++}.tmp`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.keepPrevious) {
      try {
        await rename(path, options.keepPrevious);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw asFileError(err, 'write', path);
  }
  await syncDirectory(dirname(path));
}

/**
 * {@link writeFileAtomic} in one go on the calling thread: a few milliseconds (the fsync), but no
 * trips through the event loop, which a busy training loop makes slow (a hundred milliseconds and
 * more for the ten steps of the asynchronous version).
 */
export function writeFileAtomicSync(
  path: string,
  text: string,
  options: { keepPrevious?: string } = {},
): void {
  const tmp = `${path}.${process.pid}.${counter++}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.keepPrevious) {
      try {
        renameSync(path, options.keepPrevious);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw asFileError(err, 'write', path);
  }
  try {
    const fd = openSync(dirname(path), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  }
}
