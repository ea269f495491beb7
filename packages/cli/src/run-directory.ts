import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserializeState, type EndEvent, type TrainEvent } from '@downhill/core';

/** Files of a run directory (`--out DIR`, `--resume DIR`). */
export const RUN_FILES = {
  /** The final parameters, step and end reason. */
  params: 'params.json',
  /** The optimizer state, serialized exactly (`serializeState`). */
  optimizerState: 'optimizer-state.json',
  /** Every event of the run, one JSON object per line (non-finite numbers as `null`). */
  events: 'events.jsonl',
  /** The config the run was started with and where it was read from. */
  config: 'config.json',
} as const;

/** What `params.json` holds. */
export interface SavedParams {
  readonly runId: string;
  /** Updates applied in total: a resumed run continues from here. */
  readonly step: number;
  readonly epoch: number;
  readonly reason: EndEvent['reason'];
  readonly loss: number | null;
  readonly params: number[];
  readonly bestParams?: number[];
}

/** What `config.json` holds: enough to resume without the original file. */
export interface SavedConfig {
  /** Folder relative paths in the config are resolved against. */
  readonly baseDir: string;
  readonly file: string | undefined;
  readonly config: unknown;
}

/** A checkpoint read back from a run directory. */
export interface Checkpoint {
  readonly params: SavedParams;
  readonly optimizerState: unknown;
  readonly config: SavedConfig;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  // Write-then-rename, so an interrupted write never leaves half a checkpoint.
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

/** Writes the config a run starts with. */
export async function saveConfig(dir: string, saved: SavedConfig): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeJson(join(dir, RUN_FILES.config), saved);
}

/**
 * Writes the final parameters and the optimizer state of an `end` event (the run must have been
 * started with `returnState: true`).
 */
export async function saveCheckpoint(dir: string, end: EndEvent): Promise<void> {
  await mkdir(dir, { recursive: true });
  const params: SavedParams = {
    runId: end.runId,
    step: end.step,
    epoch: end.epoch,
    reason: end.reason,
    loss: Number.isFinite(end.loss) ? end.loss : null,
    params: end.params,
    ...(end.bestParams ? { bestParams: end.bestParams } : {}),
  };
  await writeJson(join(dir, RUN_FILES.params), params);
  if (end.optimizerState !== undefined)
    await writeJson(join(dir, RUN_FILES.optimizerState), end.optimizerState);
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `cannot resume from ${dir}: ${name} is missing (was it written by \`downhill train --out\`?)`
        : `cannot read ${path}: ${String(err)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads the checkpoint `saveCheckpoint` and `saveConfig` wrote. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const params = (await readJson(dir, RUN_FILES.params)) as SavedParams;
  if (!Array.isArray(params.params) || !Number.isInteger(params.step)) {
    throw new Error(`${join(dir, RUN_FILES.params)} has no params list or step`);
  }
  const state = await readJson(dir, RUN_FILES.optimizerState);
  const config = (await readJson(dir, RUN_FILES.config)) as SavedConfig;
  return { params, optimizerState: deserializeState(state, 'optimizerState'), config };
}

/** JSON of an event for the log: the non-enumerable run controller stays out, NaN becomes null. */
export function eventLine(event: TrainEvent): string {
  return JSON.stringify(event);
}

/** Appends a run's events to `events.jsonl`, one per line. */
export class EventLog {
  private readonly stream: WriteStream;

  constructor(dir: string, options: { append: boolean }) {
    this.stream = createWriteStream(join(dir, RUN_FILES.events), { flags: options.append ? 'a' : 'w' });
  }

  write(event: TrainEvent): void {
    this.stream.write(`${eventLine(event)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolveClose, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolveClose());
    });
  }
}
