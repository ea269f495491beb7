import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CheckpointInfo,
  deserializeState,
  type EndEvent,
  RUN_STATE_FORMAT,
  type RunState,
  type TrainEvent,
} from '@downhill/core';
import { asFileError, FileError } from './file-error.js';
import { writeFileAtomic, writeFileAtomicSync } from './write-file-atomic.js';

/** Files of a run directory (`--out DIR`, `--resume DIR`). */
export const RUN_FILES = {
  /** The final parameters, step and end reason. */
  params: 'params.json',
  /** The final optimizer state, serialized exactly (`serializeState`). */
  optimizerState: 'optimizer-state.json',
  /** Every event of the run, one JSON object per line (non-finite numbers as `null`). */
  events: 'events.jsonl',
  /** The config the run was started with and where it was read from. */
  config: 'config.json',
  /** The latest checkpoint of the run's full state: what `--resume` continues from. */
  checkpoint: 'checkpoint.json',
  /** The checkpoint before it, used when the latest one cannot be read. */
  previousCheckpoint: 'checkpoint.prev.json',
  /** The state at the best epoch by the monitored metric (`--best`). */
  best: 'best.json',
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

/** What `checkpoint.json`, `checkpoint.prev.json` and `best.json` hold. */
export interface SavedCheckpoint extends CheckpointInfo {
  readonly format: 'downhill.checkpoint';
  /** ISO time of the save. */
  readonly savedAt: string;
  readonly state: RunState;
}

/** A checkpoint read back from a run directory. */
export interface Checkpoint {
  /** The run's full state (from `checkpoint.json` or, when that is unreadable, `checkpoint.prev.json`). */
  readonly state: RunState | undefined;
  /** Directories written before full-state checkpoints: final parameters and optimizer state only. */
  readonly legacy: { readonly params: SavedParams; readonly optimizerState: unknown } | undefined;
  /** How the saved run ended, when the checkpoint is its final one. */
  readonly reason: EndEvent['reason'] | undefined;
  /** Steps the saved run had taken. */
  readonly step: number;
  /** The file the state came from. */
  readonly file: string;
  readonly config: SavedConfig;
  /** Problems worth telling the user (a corrupt latest checkpoint, for instance). */
  readonly warnings: readonly string[];
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the config a run starts with. */
export async function saveConfig(dir: string, saved: SavedConfig): Promise<void> {
  await makeDirectory(dir);
  await writeFileAtomic(join(dir, RUN_FILES.config), json(saved));
}

/** Creates `dir` (and its parents), reporting failures as one line. */
export async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw asFileError(err, 'create the directory', dir);
  }
}

/**
 * Writes the final parameters and the optimizer state of an `end` event (the run must have been
 * started with `returnState: true`). Synchronous, so that it can happen when the `end` event
 * arrives, before the run's final checkpoint: a process killed in between leaves a checkpoint
 * that still has steps to resume, never a finished checkpoint without results.
 */
export function saveResults(dir: string, end: EndEvent): void {
  const params: SavedParams = {
    runId: end.runId,
    step: end.step,
    epoch: end.epoch,
    reason: end.reason,
    loss: Number.isFinite(end.loss) ? end.loss : null,
    params: end.params,
    ...(end.bestParams ? { bestParams: end.bestParams } : {}),
  };
  writeFileAtomicSync(join(dir, RUN_FILES.params), json(params));
  if (end.optimizerState !== undefined)
    writeFileAtomicSync(join(dir, RUN_FILES.optimizerState), json(end.optimizerState));
}

/** Removes the temporary files of writes a killed process did not finish. */
export async function removeStaleTemporaries(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const ours = new Set<string>(Object.values(RUN_FILES));
  for (const name of names) {
    const match = /^(.*)\.\d+\.\d+\.tmp$/.exec(name);
    if (match && ours.has(match[1]!)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** The text of a checkpoint file. */
export function checkpointText(state: RunState, info: CheckpointInfo): string {
  const saved: SavedCheckpoint = {
    format: 'downhill.checkpoint',
    savedAt: new Date().toISOString(),
    ...info,
    state,
  };
  // One line: a checkpoint of a large model is written often, and nobody reads it by eye.
  return `${JSON.stringify(saved)}\n`;
}

/** Reads a file, or `undefined` when it does not exist; other failures are one-line errors. */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw asFileError(err, 'read', path);
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parses a checkpoint file; returns why it is unusable instead of throwing. */
function parseCheckpoint(text: string): SavedCheckpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (!isObject(value) || value.format !== 'downhill.checkpoint') return 'not a downhill checkpoint';
  const state = value.state;
  if (!isObject(state) || state.format !== RUN_STATE_FORMAT) return 'a checkpoint without a run state';
  if (!Number.isInteger(state.step) || !Number.isInteger(state.seq))
    return 'a checkpoint without step and seq';
  return value as unknown as SavedCheckpoint;
}

async function readConfig(dir: string): Promise<SavedConfig> {
  const path = join(dir, RUN_FILES.config);
  const text = await readText(path);
  if (text === undefined)
    throw new Error(
      `cannot resume from ${dir}: ${RUN_FILES.config} is missing (was it written by \`downhill train --out\`?)`,
    );
  const config = parseJson(path, text);
  if (!isObject(config) || typeof config.baseDir !== 'string' || !isObject(config.config))
    throw new Error(`${path} is not a saved run config: it needs a baseDir string and a config object`);
  return config as unknown as SavedConfig;
}

async function readLegacy(dir: string): Promise<Checkpoint['legacy']> {
  const paramsPath = join(dir, RUN_FILES.params);
  const paramsText = await readText(paramsPath);
  if (paramsText === undefined)
    throw new Error(
      `cannot resume from ${dir}: it has no ${RUN_FILES.checkpoint} (was it written by \`downhill train --out\`?)`,
    );
  const params = parseJson(paramsPath, paramsText);
  if (!isObject(params) || !Array.isArray(params.params) || !Number.isInteger(params.step))
    throw new Error(`${paramsPath} has no params list or step`);
  const bad = params.params.findIndex((v) => typeof v !== 'number');
  if (bad >= 0)
    throw new Error(
      `${paramsPath}: params[${bad}] must be a number, got ${JSON.stringify(params.params[bad])}`,
    );
  const statePath = join(dir, RUN_FILES.optimizerState);
  const stateText = await readText(statePath);
  if (stateText === undefined)
    throw new Error(`cannot resume from ${dir}: ${RUN_FILES.optimizerState} is missing`);
  let optimizerState: unknown;
  try {
    optimizerState = deserializeState(parseJson(statePath, stateText), 'optimizerState');
  } catch (err) {
    throw new Error(`${statePath}: ${(err as Error).message}`);
  }
  return { params: params as unknown as SavedParams, optimizerState };
}

/**
 * Reads what `downhill train --out DIR` saved: the latest checkpoint, or the previous one (with a
 * warning) when the latest is missing or unreadable, and the config.
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const config = await readConfig(dir);
  const warnings: string[] = [];
  const latestPath = join(dir, RUN_FILES.checkpoint);
  const previousPath = join(dir, RUN_FILES.previousCheckpoint);
  const latestText = await readText(latestPath);
  const latest = latestText === undefined ? 'missing' : parseCheckpoint(latestText);
  let chosen: { saved: SavedCheckpoint; file: string } | undefined;
  if (typeof latest !== 'string') chosen = { saved: latest, file: latestPath };
  else {
    const previousText = await readText(previousPath);
    const previous = previousText === undefined ? 'missing' : parseCheckpoint(previousText);
    if (typeof previous !== 'string') {
      warnings.push(
        `${latestPath} is ${latest}; resuming from the previous checkpoint ${previousPath} (step ${previous.state.step})`,
      );
      chosen = { saved: previous, file: previousPath };
    } else if (latest !== 'missing' || previous !== 'missing') {
      throw new Error(
        `cannot resume from ${dir}: ${RUN_FILES.checkpoint} is ${latest} and ${RUN_FILES.previousCheckpoint} is ${previous}`,
      );
    }
  }
  if (chosen) {
    const { saved, file } = chosen;
    return {
      state: saved.state,
      legacy: undefined,
      reason: saved.trigger === 'end' ? saved.reason : undefined,
      step: saved.state.step,
      file,
      config,
      warnings,
    };
  }
  const legacy = await readLegacy(dir);
  return {
    state: undefined,
    legacy,
    reason: legacy!.params.reason,
    step: legacy!.params.step,
    file: join(dir, RUN_FILES.params),
    config,
    warnings,
  };
}

/** JSON of an event for the log: the non-enumerable run controller stays out, NaN becomes null. */
export function eventLine(event: TrainEvent): string {
  return JSON.stringify(event);
}

const FLUSH_BYTES = 1 << 16;

/**
 * Appends a run's events to `events.jsonl`, one per line. Lines are buffered and written with
 * synchronous writes: `flush()` puts every event so far into the file (the checkpoint writer
 * calls it before each checkpoint, so the log always covers the checkpoint's events). Failures
 * are {@link FileError}s naming the file.
 */
export class EventLog {
  readonly path: string;
  private readonly fd: number;
  private pending: string[] = [];
  private bytes = 0;
  private closed = false;
  private failure: FileError | undefined;

  constructor(dir: string, options: { append: boolean }) {
    this.path = join(dir, RUN_FILES.events);
    try {
      this.fd = openSync(this.path, options.append ? 'a' : 'w');
    } catch (err) {
      throw asFileError(err, 'open', this.path);
    }
  }

  write(event: TrainEvent): void {
    const line = `${eventLine(event)}\n`;
    this.pending.push(line);
    this.bytes += line.length;
    if (this.bytes >= FLUSH_BYTES) this.flush();
  }

  /** Writes the buffered lines; after a failed write, throws that failure again (the log has a hole). */
  flush(): void {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0 || this.closed) return;
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.bytes = 0;
    try {
      let offset = 0;
      while (offset < data.length) offset += writeSync(this.fd, data, offset);
    } catch (err) {
      this.failure = new FileError('write', this.path, err);
      throw this.failure;
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }
}

/**
 * Cuts `events.jsonl` back to the events before `nextSeq` (those a checkpoint covers), so that a
 * resumed run, which emits the later events again, leaves no duplicates. A torn last line (the
 * process was killed while writing it) goes too. Returns how many events were kept and removed.
 */
export async function truncateEventLog(
  dir: string,
  nextSeq: number,
): Promise<{ kept: number; removed: number }> {
  const path = join(dir, RUN_FILES.events);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kept: 0, removed: 0 };
    throw asFileError(err, 'open', path);
  }
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let position = 0; // bytes of the file read so far
    let lineStart = 0; // file offset of the first byte of `carry`
    let cut: number | undefined;
    let kept = 0;
    let removed = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let buffer = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let newline = buffer.indexOf(10);
      while (newline >= 0) {
        const line = buffer.subarray(0, newline).toString('utf8');
        let seq: unknown;
        try {
          seq = (JSON.parse(line) as { seq?: unknown }).seq;
        } catch {
          seq = undefined;
        }
        if (cut === undefined && (typeof seq !== 'number' || seq >= nextSeq)) cut = lineStart;
        if (cut === undefined) kept++;
        else removed++;
        lineStart += newline + 1;
        buffer = buffer.subarray(newline + 1);
        newline = buffer.indexOf(10);
      }
      carry = Buffer.from(buffer);
    }
    if (carry.length > 0) {
      cut ??= lineStart; // a torn last line
      removed++;
    }
    if (cut !== undefined) await handle.truncate(cut);
    return { kept, removed };
  } catch (err) {
    throw asFileError(err, 'rewrite', path);
  } finally {
    await handle.close();
  }
}
