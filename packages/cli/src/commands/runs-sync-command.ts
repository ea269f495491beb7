import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishRun } from '@downhill/client';
import { FileSpool } from '@downhill/client/node';
import type { TrainEvent } from '@downhill/core';
import { asTrainEvent, wireEventSchema } from '@downhill/protocol';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { ProgressOutput } from '../progress-bar.js';

/** Where `downhill train --server` keeps the spool of a run without `--out`. */
export function defaultSpoolDir(): string {
  return join(tmpdir(), 'downhill-spool');
}

export interface SyncOptions {
  /** Spool files, or folders of them (`*.jsonl`, and a run folder's `spool.jsonl`); none: the default folder. */
  readonly paths: readonly string[];
  readonly url: string;
  readonly token: string | undefined;
  readonly output: ProgressOutput;
}

/**
 * `downhill runs sync`: uploads each spool over the run link, as the trainer would have (the
 * server keeps what it already has once), and deletes it once the server acknowledged every
 * event. Returns false when a spool could not be uploaded (it is kept).
 */
export async function syncSpools(options: SyncOptions): Promise<boolean> {
  const files = spoolFiles(options.paths.length > 0 ? options.paths : [defaultSpoolDir()]);
  if (files.length === 0) {
    options.output.write('nothing to sync: no spool files\n');
    return true;
  }
  let ok = true;
  for (const file of files) {
    const events = readSpool(file);
    if (events.length === 0) {
      new FileSpool(file).close(true);
      continue;
    }
    const runId = events[0]!.runId;
    try {
      await lastValueFrom(
        publishRun(() => from(events), {
          url: options.url,
          ...(options.token === undefined ? {} : { token: options.token }),
          spool: new FileSpool(file),
          finishTimeoutMs: 30_000,
          warn: (message) => options.output.write(`${message}\n`),
        }).pipe(toArray()),
      );
      options.output.write(`synced run ${runId} from ${file}: ${options.url} has all its events\n`);
    } catch (err) {
      ok = false;
      options.output.write(`could not sync ${file}: ${(err as Error).message}\n`);
    }
  }
  return ok;
}

function spoolFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new Error(`no spool at ${path}`);
    if (!statSync(path).isDirectory()) {
      files.push(path);
      continue;
    }
    for (const name of readdirSync(path))
      if (name.endsWith('.jsonl') && name !== 'events.jsonl') files.push(join(path, name));
  }
  return files;
}

/** The spool's events, oldest first (a torn last line, from a process killed mid-write, is left out). */
function readSpool(file: string): TrainEvent[] {
  const events: TrainEvent[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const last = lines.findLastIndex((line) => line.trim() !== '');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (index === last) return; // torn by a kill mid-write: never acknowledged, nothing to sync
      throw new Error(`${file}:${index + 1}: not a JSON event (the spool is damaged)`);
    }
    const parsed = wireEventSchema.safeParse(json);
    if (!parsed.success)
      throw new Error(`${file}:${index + 1}: not a run event: ${parsed.error.issues[0]?.message}`);
    events.push(asTrainEvent(parsed.data));
  });
  return events;
}
