import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { FileError } from '../file-error.js';
import { ConfigError, type SourceLocation } from './config-error.js';

/** A configuration file read into plain data, with a way back from a field path to its place in the file. */
export interface ConfigFile {
  /** Absolute path of the file. */
  readonly file: string;
  /** Folder that relative paths in the config (the data file) are resolved against. */
  readonly baseDir: string;
  readonly value: unknown;
  /** Where the field at `path` (`optimizer.name`, `data.x[1]`) is written, when it is in the file. */
  locate(path: string): SourceLocation | undefined;
}

const FORMATS = ['.json', '.yaml', '.yml'];

/** Splits `data.columns.x[1]` into `['data', 'columns', 'x', 1]`. */
export function splitFieldPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const segment of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match) {
      parts.push(segment);
      continue;
    }
    if (match[1]) parts.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

/**
 * Parses configuration text. JSON is read with the YAML parser too (YAML 1.2 is a superset of
 * JSON), which keeps every node's position so that errors can name line and column.
 */
export function parseConfigText(text: string, file: string, baseDir = dirname(file)): ConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const first = doc.errors[0];
  if (first) {
    throw new ConfigError({
      field: '',
      problem: `cannot be parsed: ${first.message.split('\n')[0]}`,
      location: at(first.pos[0]),
    });
  }
  const locate = (path: string): SourceLocation | undefined => {
    let node: unknown = doc.contents;
    let target: Node | undefined = doc.contents ?? undefined;
    for (const key of splitFieldPath(path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        // A missing field is reported at the mapping that should hold it.
        if (!pair) break;
        // The key is where a reader looks for a field, whatever is wrong with its value.
        target = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
        target = node.items[key] as Node;
        node = target;
      } else {
        break;
      }
    }
    return target?.range ? at(target.range[0]) : undefined;
  };
  return { file, baseDir, value: doc.toJS({ maxAliasCount: 100 }), locate };
}

/** Reads a `.json`, `.yaml` or `.yml` configuration file. */
export async function loadConfigFile(path: string): Promise<ConfigFile> {
  const file = resolve(path);
  const ext = extname(file).toLowerCase();
  if (!FORMATS.includes(ext)) {
    throw new ConfigError({
      field: '',
      problem: `${path} has an unknown extension ${JSON.stringify(ext)}`,
      allowed: FORMATS,
    });
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError({
      field: '',
      problem: code === 'ENOENT' ? `file not found: ${file}` : new FileError('read', file, err).message,
    });
  }
  return parseConfigText(text, file);
}
