import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EndEvent, type RunState, serializeState, type TrainEvent } from '@downhill/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointWriter } from './checkpoint-writer.js';
import {
  checkpointText,
  EventLog,
  loadCheckpoint,
  RUN_FILES,
  saveConfig,
  saveResults,
  truncateEventLog,
} from './run-directory.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-run-dir-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const optimizerState = [{ momentum: Float64Array.from([0.1, -0, Number.NaN]) }, { count: 3 }];
const end: EndEvent = {
  type: 'end',
  runId: 'run-1',
  seq: 10,
  time: 5,
  reason: 'stopped',
  step: 7,
  epoch: 1,
  params: [0.1 + 0.2, -3],
  loss: 1.5,
  optimizerState: serializeState(optimizerState),
};

/** A run state as the run loop hands it over (the fields the directory code reads). */
function runState(step: number, seq: number): RunState {
  return {
    format: 'downhill.run-state',
    version: 1,
    runId: 'run-1',
    seq,
    time: 1,
    step,
    epoch: 0,
    batch: step,
    params: serializeState(Float64Array.from([step, -0])),
    optimizerState: serializeState({ count: step }),
    overrides: {},
    current: {},
    epochLoss: 0,
    epochRows: 0,
    lastLoss: { $num: 'NaN' },
    rng: [1, 2, 3, 4],
    kept: {},
  };
}

const config = { baseDir: '/data', file: '/data/run.yaml', config: { model: 'linear' } };

describe('run directory', () => {
  it('reads directories written before full-state checkpoints: parameters and optimizer state bit for bit', async () => {
    await saveConfig(dir, config);
    saveResults(dir, end);
    const checkpoint = await loadCheckpoint(dir);
    expect(checkpoint.state).toBeUndefined();
    expect(checkpoint).toMatchObject({ step: 7, reason: 'stopped', file: join(dir, RUN_FILES.params) });
    expect(checkpoint.legacy!.params.params).toEqual([0.1 + 0.2, -3]);
    const restored = checkpoint.legacy!.optimizerState as [{ momentum: Float64Array }, { count: number }];
    expect(Object.is(restored[0].momentum[1], -0)).toBe(true);
    expect(restored[0].momentum[2]).toBeNaN();
    expect(checkpoint.config).toEqual(config);
  });

  it('resumes from the latest checkpoint, or from the previous one with a warning when the latest is corrupt', async () => {
    await saveConfig(dir, config);
    const writer = new CheckpointWriter(dir);
    writer.save(runState(3, 20), { trigger: 'steps' });
    writer.flush();
    writer.save(runState(6, 40), { trigger: 'steps' });
    writer.flush();
    const latest = await loadCheckpoint(dir);
    expect(latest).toMatchObject({ step: 6, warnings: [], file: join(dir, RUN_FILES.checkpoint) });
    expect(latest.state!.seq).toBe(40);

    // Torn or garbled latest file: the previous checkpoint is used, and the user is told.
    await writeFile(join(dir, RUN_FILES.checkpoint), '{"format":"downhill.checkpoint","sta');
    const fallback = await loadCheckpoint(dir);
    expect(fallback.state!.step).toBe(3);
    expect(fallback.warnings).toEqual([
      `${join(dir, RUN_FILES.checkpoint)} is not valid JSON (${jsonError('{"format":"downhill.checkpoint","sta')}); resuming from the previous checkpoint ${join(dir, RUN_FILES.previousCheckpoint)} (step 3)`,
    ]);
    await writeFile(join(dir, RUN_FILES.previousCheckpoint), 'null');
    await expect(loadCheckpoint(dir)).rejects.toThrow(
      `cannot resume from ${dir}: checkpoint.json is not valid JSON`,
    );
  });

  it('keeps only the newest pending checkpoint of each file and writes best ones to best.json', async () => {
    await saveConfig(dir, config);
    let flushes = 0;
    const writer = new CheckpointWriter(dir, { beforeSave: () => flushes++ });
    for (let step = 1; step <= 50; step++) writer.save(runState(step, step * 2), { trigger: 'steps' });
    writer.save(runState(20, 40), { trigger: 'best', value: 0.5 });
    writer.flush();
    expect(flushes).toBe(51);
    // The first save is written at once; the other 49 come within 100 ms and collapse into the newest.
    expect(writer.count).toBe(3);
    expect((await loadCheckpoint(dir)).step).toBe(50);
    const best = JSON.parse(await readFile(join(dir, RUN_FILES.best), 'utf8'));
    expect(best).toMatchObject({ format: 'downhill.checkpoint', trigger: 'best', value: 0.5 });
    expect(best.state.step).toBe(20);
  });

  it('reports a checkpoint it cannot write as one line naming the file, and refuses later saves', async () => {
    await mkdir(join(dir, RUN_FILES.best, 'blocker'), { recursive: true });
    const writer = new CheckpointWriter(dir);
    expect(() => writer.save(runState(1, 2), { trigger: 'best', value: 1 })).toThrow(
      `cannot write ${join(dir, RUN_FILES.best)}: is a directory, a file was expected (EISDIR)`,
    );
    expect(() => writer.flush()).toThrow('EISDIR');
    expect(() => writer.save(runState(2, 4), { trigger: 'steps' })).toThrow('EISDIR');
  });

  it('names what is wrong with config.json and params.json', async () => {
    await expect(loadCheckpoint(dir)).rejects.toThrow(`cannot resume from ${dir}: config.json is missing`);
    await writeFile(join(dir, RUN_FILES.config), '{}');
    await expect(loadCheckpoint(dir)).rejects.toThrow(
      `${join(dir, RUN_FILES.config)} is not a saved run config: it needs a baseDir string and a config object`,
    );
    await saveConfig(dir, config);
    await expect(loadCheckpoint(dir)).rejects.toThrow(`cannot resume from ${dir}: it has no checkpoint.json`);
    await writeFile(join(dir, RUN_FILES.params), 'null');
    await expect(loadCheckpoint(dir)).rejects.toThrow(
      `${join(dir, RUN_FILES.params)} has no params list or step`,
    );
    await writeFile(join(dir, RUN_FILES.params), JSON.stringify({ step: 3, params: [1, null] }));
    await expect(loadCheckpoint(dir)).rejects.toThrow('params[1] must be a number, got null');
  });

  it('writes events as JSON lines, with non-finite numbers as null, appending when asked', () => {
    const log = new EventLog(dir, { append: false });
    log.write({ ...end, loss: Number.NaN });
    log.close();
    const again = new EventLog(dir, { append: true });
    again.write({ ...end, seq: 11 });
    again.close();
    const lines = readLines();
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).loss).toBeNull();
    expect(JSON.parse(lines[1]!).seq).toBe(11);
  });

  it('a full disk is a one-line error naming events.jsonl', async () => {
    await symlink('/dev/full', join(dir, RUN_FILES.events));
    const log = new EventLog(dir, { append: false });
    log.write(end);
    expect(() => log.flush()).toThrow(
      `cannot write ${join(dir, RUN_FILES.events)}: no space left on device (ENOSPC)`,
    );
    // Nothing pending, but the log has a hole now: a checkpoint must not be taken over it.
    expect(() => log.flush()).toThrow('ENOSPC');
  });

  it('cuts the event log back to a checkpoint, dropping a torn last line', async () => {
    const log = new EventLog(dir, { append: false });
    const events: TrainEvent[] = Array.from({ length: 8 }, (_, seq) => ({ ...end, seq, params: [seq] }));
    for (const event of events) log.write(event);
    log.close();
    await writeFile(
      join(dir, RUN_FILES.events),
      `${await readFile(join(dir, RUN_FILES.events), 'utf8')}{"seq":8,"ty`,
    );
    expect(await truncateEventLog(dir, 5)).toEqual({ kept: 5, removed: 4 });
    expect(readLines().map((l) => JSON.parse(l).seq)).toEqual([0, 1, 2, 3, 4]);
    // Idempotent, and a checkpoint past the end keeps everything complete.
    expect(await truncateEventLog(dir, 5)).toEqual({ kept: 5, removed: 0 });
    expect(await truncateEventLog(dir, 99)).toEqual({ kept: 5, removed: 0 });
    await writeFile(
      join(dir, RUN_FILES.events),
      `${await readFile(join(dir, RUN_FILES.events), 'utf8')}{"seq":5`,
    );
    expect(await truncateEventLog(dir, 99)).toEqual({ kept: 5, removed: 1 });
    expect(readLines()).toHaveLength(5);
  });

  it('checkpoint files are one JSON line holding the trigger and the state', () => {
    const text = checkpointText(runState(2, 3), { trigger: 'end', reason: 'completed' });
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().includes('\n')).toBe(false);
    expect(JSON.parse(text)).toMatchObject({
      format: 'downhill.checkpoint',
      trigger: 'end',
      reason: 'completed',
    });
  });
});

function readLines(): string[] {
  return readFileSync(join(dir, RUN_FILES.events), 'utf8').trimEnd().split('\n');
}

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}
