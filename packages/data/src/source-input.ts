import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DataError } from './data-error.js';

/**
 * Where rows come from: a file path or `file:` URL, or a function that opens a new stream (so an
 * epoch can read it again). A bare stream can be read only once.
 */
export type SourceInput = string | URL | Readable | (() => Readable);

/** The name errors use for an input: its path, or `name`, or `<stream>`. */
export function inputName(input: SourceInput, name: string | undefined): string {
  if (name !== undefined) return name;
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.protocol === 'file:' ? fileURLToPath(input) : input.href;
  return '<stream>';
}

/** Opens the input for one pass; a missing file is a {@link DataError} naming the path. */
export async function openInput(
  input: SourceInput,
  name: string,
  used: { read: boolean },
): Promise<Readable> {
  if (typeof input === 'string' || input instanceof URL) {
    const path = typeof input === 'string' ? input : fileURLToPath(input);
    try {
      await access(path, constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const problem =
        code === 'ENOENT'
          ? 'file not found'
          : code === 'EACCES'
            ? 'permission denied, cannot read the file'
            : `cannot read the file (${code})`;
      throw new DataError(`${problem}: ${path}`, { file: name }, { cause: err });
    }
    // A directory passes the access check and fails only on the first read, with a bare EISDIR.
    if ((await stat(path)).isDirectory()) {
      const problem = 'a directory, not a data file';
      throw new DataError(name === path ? problem : `${problem}: ${path}`, { file: name });
    }
    return createReadStream(path, { highWaterMark: 64 * 1024 });
  }
  if (typeof input === 'function') return input();
  if (used.read) {
    throw new DataError(
      'the stream was already read; to read it again (every epoch does), pass a function that opens a new stream',
      { file: name },
    );
  }
  used.read = true;
  return input;
}
