import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const dir = mkdtempSync(join(tmpdir(), 'downhill-data-test-'));
let count = 0;

/** Writes `text` to a fresh temporary file and returns its path. */
export function tempFile(text: string, ext = 'csv'): string {
  const path = join(dir, `f${count++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

/** A one-shot stream of `text`, delivered in chunks of `size` characters. */
export function textStream(text: string, size = 5): Readable {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return Readable.from(chunks);
}
