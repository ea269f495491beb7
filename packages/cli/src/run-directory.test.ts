import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EndEvent, serializeState } from '@downhill/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, loadCheckpoint, RUN_FILES, saveCheckpoint, saveConfig } from './run-directory.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-run-dir-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const state = [{ momentum: Float64Array.from([0.1, -0, Number.NaN]) }, { count: 3 }];
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
  optimizerState: serializeState(state),
};

describe('run directory', () => {
  it('round-trips parameters, optimizer state (bit for bit) and config', async () => {
    await saveConfig(dir, { baseDir: '/data', file: '/data/run.yaml', config: { model: 'linear' } });
    await saveCheckpoint(dir, end);
    const checkpoint = await loadCheckpoint(dir);
    expect(checkpoint.params).toMatchObject({
      runId: 'run-1',
      step: 7,
      epoch: 1,
      reason: 'stopped',
      loss: 1.5,
    });
    expect(checkpoint.params.params).toEqual([0.1 + 0.2, -3]);
    const restored = checkpoint.optimizerState as [{ momentum: Float64Array }, { count: number }];
    expect(restored[0].momentum).toBeInstanceOf(Float64Array);
    expect(Object.is(restored[0].momentum[1], -0)).toBe(true);
    expect(restored[0].momentum[2]).toBeNaN();
    expect(restored[1].count).toBe(3);
    expect(checkpoint.config).toEqual({
      baseDir: '/data',
      file: '/data/run.yaml',
      config: { model: 'linear' },
    });
  });

  it('names the missing file when a directory is not a checkpoint', async () => {
    await expect(loadCheckpoint(dir)).rejects.toThrow(`cannot resume from ${dir}: params.json is missing`);
    await saveCheckpoint(dir, end);
    await expect(loadCheckpoint(dir)).rejects.toThrow('config.json is missing');
  });

  it('writes events as JSON lines, with non-finite numbers as null, appending when asked', async () => {
    const log = new EventLog(dir, { append: false });
    log.write({ ...end, loss: Number.NaN });
    await log.close();
    const again = new EventLog(dir, { append: true });
    again.write({ ...end, seq: 11 });
    await again.close();
    const lines = (await readFile(join(dir, RUN_FILES.events), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!).loss).toBeNull();
    expect(JSON.parse(lines[1]!).seq).toBe(11);
  });
});
